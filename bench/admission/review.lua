-- wrk: POST the AdmissionReview in $REVIEW (a file) to the path given on the command line.
wrk.method = "POST"
wrk.headers["Content-Type"] = "application/json"
local f = assert(io.open(os.getenv("REVIEW"), "rb"))
wrk.body = f:read("*a")
f:close()
