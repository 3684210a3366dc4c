module github.com/complaints-lib/complaints/bindings/go

go 1.19
