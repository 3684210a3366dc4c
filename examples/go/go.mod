module complaints-example

go 1.19

require complaints v0.0.0

replace complaints => ../../bindings/go
