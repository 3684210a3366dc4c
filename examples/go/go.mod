module complaints-example

go 1.19

require github.com/complaints-lib/complaints/bindings/go v0.0.0-00010101000000-000000000000

replace github.com/complaints-lib/complaints/bindings/go => ../../bindings/go
