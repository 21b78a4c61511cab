using System.Globalization;

namespace Caisson.Tests.Shim;

/// <summary>One line of a CRI log file: <c>timestamp stream tag content</c>, checked strictly.</summary>
internal sealed record CriLogRecord(DateTimeOffset Time, string Stream, bool Partial, string Content)
{
    public static IReadOnlyList<CriLogRecord> ParseFile(string path)
    {
        var text = File.ReadAllText(path);
        // A record is being written: ignore an unterminated last line rather than mis-parse it.
        var complete = text.EndsWith('\n') ? text : text[..(text.LastIndexOf('\n') + 1)];
        return complete.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(Parse).ToList();
    }

    public static CriLogRecord Parse(string line)
    {
        var parts = line.Split(' ', 4);
        Assert.True(parts.Length == 4, $"malformed CRI log line '{line}'");
        // RFC 3339 with exactly nine fraction digits in UTC, as the shim writes it.
        Assert.Matches(@"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{9}Z$", parts[0]);
        var time = DateTimeOffset.ParseExact(parts[0][..27] + "Z", "yyyy-MM-dd'T'HH:mm:ss.fffffff'Z'", CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal);
        Assert.Contains(parts[1], new[] { "stdout", "stderr" });
        Assert.Contains(parts[2], new[] { "F", "P" });
        return new CriLogRecord(time, parts[1], parts[2] == "P", parts[3]);
    }
}
