namespace Caisson.Cli.Logs;

/// <summary>A line of container output as the container wrote it, its fragments joined again.</summary>
/// <param name="Timestamp">When its first fragment was logged (RFC 3339), or "" for a line not in the CRI format.</param>
/// <param name="EndsLine">False only for a last line the container never ended with a newline.</param>
internal sealed record LogLine(string Timestamp, LogStream Stream, byte[] Content, bool EndsLine);
