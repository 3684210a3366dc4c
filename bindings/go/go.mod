module complaints

go 1.19
