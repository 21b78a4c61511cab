# Prints each failed test of a .trx file with the first lines of its message and stack trace, and the run's own errors.
BEGIN { RS = "<UnitTestResult " }

function unescape(text) {
  gsub(/&quot;/, "\"", text); gsub(/&apos;/, "'", text); gsub(/&lt;/, "<", text); gsub(/&gt;/, ">", text); gsub(/&amp;/, "\\&", text)
  return text
}

# Errors outside any test (a class fixture's cleanup, a crashed test host) are the run's: <RunInfo outcome="Error">.
/<RunInfo [^>]*outcome="Error"/ {
  rest = $0
  while (match(rest, /<RunInfo [^>]*outcome="Error"[^>]*>[^<]*<Text>[^<]*<\/Text>/)) {
    info = substr(rest, RSTART, RLENGTH); rest = substr(rest, RSTART + RLENGTH)
    sub(/^.*<Text>/, "", info); sub(/<\/Text>$/, "", info)
    print "RUN ERROR " unescape(info)
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
  print "FAILED " unescape(name)
  n = split(unescape(body), lines, "\n")
  for (i = 1; i <= n && i <= 25; i++) print "    " lines[i]
}
