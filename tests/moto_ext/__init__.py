"""moto_ext: what the project adds to moto for its tests and the main job (see tests/aws/moto_server.py)."""
