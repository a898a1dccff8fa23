# The app servers behind Varnish, included by default.vcl. Edit the addresses
# for your machines; the probe asks each one's liveness endpoint every second
# and takes it out of rotation after two failures in three tries.
# (The production test lane writes its own copy with its ports.)

probe app_alive {
    .request =
        "GET /healthz/ HTTP/1.1"
        "Host: 127.0.0.1"
        "Connection: close";
    .interval = 1s;
    .timeout = 2s;
    .window = 3;
    .threshold = 2;
    .initial = 2;
}

backend app_a {
    .host = "127.0.0.1";
    .port = "8001";
    .probe = app_alive;
    .connect_timeout = 1s;
    .first_byte_timeout = 35s;
}

backend app_b {
    .host = "127.0.0.1";
    .port = "8002";
    .probe = app_alive;
    .connect_timeout = 1s;
    .first_byte_timeout = 35s;
}
