# Prints each failed test of a .trx file with the first lines of its message and stack trace, and the run's own errors.
BEGIN { RS = "<UnitTestResult " }
# Errors outside any test (a class fixture's cleanup, a crashed test host) are the run's: <RunInfo outcome="Error">.
/<RunInfo [^>]*outcome="Error"/ {
  rest = $0
  while (match(rest, /<RunInfo [^>]*outcome="Error"[^>]*>[^<]*<Text>[^<]*<\/Text>/)) {
    info = substr(rest, RSTART, RLENGTH); rest = substr(rest, RSTART + RLENGTH)
    sub(/^.*<Text>/, "", info); sub(/<\/Text>$/, "", info)
    gsub(/&quot;/, "\"", info); gsub(/&apos;/, "'", info); gsub(/&lt;/, "<", info); gsub(/&gt;/, ">", info); gsub(/&amp;/, "\\&", info)
    print "RUN ERROR " info
  }
}
NR > 1 {
  # A record runs to the next result; the last one runs on to the end of the file (past the run's own outcome).
  tag = substr($0, 1, index($0, ">"))
  if (tag !~ /outcome="Failed"/) next
  name = tag; sub(/^.*testName="/, "", name); sub(/".*$/, "", name)
  body = $0; sub(/<\/UnitTestResult>.*$/, "", body)
  if (body !~ /<ErrorInfo>/) body = ""
  sub(/^.*<ErrorInfo>/, "", body); sub(/<\/ErrorInfo>.*$/, "", body)
  gsub(/<\/Message>/, "\n", body); gsub(/<\/?(Message|StackTrace)>/, "", body)
  gsub(/&quot;/, "\"", body); gsub(/&apos;/, "'", body); gsub(/&lt;/, "<", body); gsub(/&gt;/, ">", body); gsub(/&amp;/, "\\&", body)
  gsub(/&quot;/, "\"", name); gsub(/&amp;/, "\\&", name)
  print "FAILED " name
  n = split(body, lines, "\n")
  for (i = 1; i <= n && i <= 25; i++) print "    " lines[i]
}
