# Varnish in front of the app servers: the site's CDN (docs/deployment.md).
#
# - Round-robin over the healthy app servers (probes on /healthz/); a GET whose
#   app server fails is retried once on another, so one server down loses no
#   request.
# - Caches anonymous pages and API reads. Right after a change commits, the
#   app (cms/publishing/purge.py, FRONTEND_CACHE_URL) sends one BAN of the
#   whole host after each content change (X-Ban-Url: ^/), since menus and lists
#   on every page may show it; a PURGE of one URL would leave the others and
#   every query-string variant (?type=..., ?q=...). BAN and
#   PURGE are accepted only from the machines in "purgers".
# - Never caches the admin, documents (private collections are checked by the
#   app on every request), health checks, or anyone with a session.
vcl 4.1;

import directors;

include "backends.vcl";

acl purgers {
    "127.0.0.1";
    "::1";
}

sub vcl_init {
    new app = directors.round_robin();
    app.add_backend(app_a);
    app.add_backend(app_b);
}

sub vcl_recv {
    set req.backend_hint = app.backend();

    if (req.method == "PURGE") {
        if (client.ip !~ purgers) {
            return (synth(405, "PURGE is not allowed from here"));
        }
        return (purge);
    }
    if (req.method == "BAN") {
        if (client.ip !~ purgers) {
            return (synth(405, "BAN is not allowed from here"));
        }
        # X-Ban-Url is a regex of paths, e.g. ^/ (the app sends that) or
        # ^/api/v3/pages/([?]|$) by hand. Bans test the copies' own x-host and x-url
        # (set below), so Varnish's ban lurker can clear them in the background.
        if (!req.http.X-Ban-Url || req.http.X-Ban-Url !~ "^\^/") {
            return (synth(400, "BAN needs an X-Ban-Url starting with ^/"));
        }
        ban("obj.http.x-host == " + req.http.host + " && obj.http.x-url ~ " + req.http.X-Ban-Url);
        return (synth(200, "Banned"));
    }
    if (req.method != "GET" && req.method != "HEAD") {
        return (pass);
    }
    if (req.url ~ "^/(admin|django-admin|documents|healthz|readyz)(/|$)") {
        return (pass);
    }
    # Signed-in editors, and visitors who posted a form, see personal pages.
    if (req.http.Cookie ~ "(^|;\s*)(sessionid|csrftoken|messages)=") {
        return (pass);
    }
    # Any other cookie (analytics) changes nothing the site renders.
    unset req.http.Cookie;
    return (hash);
}

sub vcl_backend_fetch {
    # A retry goes to the next healthy server, not the one that just failed.
    if (bereq.retries > 0) {
        set bereq.backend = app.backend();
    }
}

sub vcl_backend_response {
    # For bans (see BAN above); removed again before delivery.
    set beresp.http.x-url = bereq.url;
    set beresp.http.x-host = bereq.http.host;
    if (beresp.status >= 500 && bereq.retries < 1 && bereq.method == "GET") {
        return (retry);
    }
    if (beresp.http.Set-Cookie || beresp.http.Cache-Control ~ "(private|no-store|no-cache)") {
        set beresp.uncacheable = true;
        set beresp.ttl = 120s;
        return (deliver);
    }
    if (beresp.status >= 500) {
        set beresp.uncacheable = true;
        set beresp.ttl = 0s;
        return (deliver);
    }
    # Pages carry no Cache-Control of their own: keep them until a publish
    # purges them (or an hour passes). The API sends its own max-age.
    if (!beresp.http.Cache-Control) {
        set beresp.ttl = 1h;
    }
    # If every app server is down, an expired copy is better than an error.
    set beresp.grace = 6h;
    return (deliver);
}

sub vcl_backend_error {
    if (bereq.retries < 1 && bereq.method == "GET") {
        return (retry);
    }
}

sub vcl_deliver {
    unset resp.http.x-url;
    unset resp.http.x-host;
    if (obj.hits > 0) {
        set resp.http.X-Cache = "hit";
    } else {
        set resp.http.X-Cache = "miss";
    }
}
