-- wrk script: PROPFIND Depth: 1 with an allprop body.
-- The Authorization header comes from wrk's -H option (merged into wrk.headers).
wrk.method = "PROPFIND"
wrk.headers["Depth"] = "1"
wrk.headers["Content-Type"] = 'application/xml; charset="utf-8"'
wrk.body = '<?xml version="1.0" encoding="utf-8"?>\n'
        .. '<D:propfind xmlns:D="DAV:"><D:allprop/></D:propfind>\n'
