module ftpreplypeers/textproto

go 1.19
