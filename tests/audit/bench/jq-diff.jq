# Naive jq diff of two snapshots (no normalization): identities on one side only, and identities whose
# attributes differ. Run: jq -n --slurpfile a P --slurpfile b S -f jq-diff.jq
($a[0].objects) as $A | ($b[0].objects) as $B
| { only_primary: [$A | keys[] | select($B[.] == null)],
    only_secondary: [$B | keys[] | select($A[.] == null)],
    differs: [$A | keys[] | select($B[.] != null and $A[.].attributes != $B[.].attributes)] }
| {only_primary: (.only_primary | length), only_secondary: (.only_secondary | length), differs: (.differs | length)}
