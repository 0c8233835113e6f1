module failover/bench/peers/framework

go 1.25.0

require github.com/hashicorp/terraform-plugin-framework v1.19.0 // indirect
