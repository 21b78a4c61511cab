using System.Text;

namespace Caisson.Cli.Logs;

/// <summary>Which of the container's output streams a log line came from.</summary>
internal enum LogStream
{
    Stdout,
    Stderr,
}

/// <summary>
/// One line of a CRI log file: <c>TIMESTAMP STREAM TAGS CONTENT</c>, e.g.
/// <c>2025-06-01T12:00:00.123456789Z stdout F hello</c>. The first tag is P for a fragment of a longer line that the
/// next entries of the same stream continue, or F for the end of a line.
/// </summary>
/// <param name="Timestamp">RFC 3339 with nanoseconds, as written.</param>
internal sealed record CriLogEntry(string Timestamp, LogStream Stream, bool Partial, byte[] Content)
{
    /// <summary>Parses one line without its newline; null when it is not in the CRI format.</summary>
    public static CriLogEntry? Parse(ReadOnlySpan<byte> line)
    {
        var first = line.IndexOf((byte)' ');
        if (first <= 0)
            return null;
        var timestamp = line[..first];
        var rest = line[(first + 1)..];
        var second = rest.IndexOf((byte)' ');
        if (second <= 0)
            return null;
        LogStream stream;
        if (rest[..second].SequenceEqual("stdout"u8))
            stream = LogStream.Stdout;
        else if (rest[..second].SequenceEqual("stderr"u8))
            stream = LogStream.Stderr;
        else
            return null;
        rest = rest[(second + 1)..];
        // The content may be empty, and the space before it is then sometimes left out.
        var third = rest.IndexOf((byte)' ');
        var tags = third < 0 ? rest : rest[..third];
        var content = third < 0 ? [] : rest[(third + 1)..];
        var colon = tags.IndexOf((byte)':');
        var fullness = colon < 0 ? tags : tags[..colon];
        bool partial;
        if (fullness.SequenceEqual("P"u8))
            partial = true;
        else if (fullness.SequenceEqual("F"u8))
            partial = false;
        else
            return null;
        return new CriLogEntry(Encoding.ASCII.GetString(timestamp), stream, partial, content.ToArray());
    }
}
