"""CA backends behind one interface: the voucher CA (SOAP) and ACME."""
