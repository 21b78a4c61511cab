using System.Text;
using Caisson.Cli.Logs;

namespace Caisson.Tests.Cli.Logs;

public sealed class CriLogDecoderTests
{
    [Theory]
    [InlineData("stdout, full line", "2025-06-01T12:00:00.123456789Z stdout F hello world", "2025-06-01T12:00:00.123456789Z|Stdout|F|hello world")]
    [InlineData("stderr, partial", "2025-06-01T12:00:00Z stderr P part", "2025-06-01T12:00:00Z|Stderr|P|part")]
    [InlineData("empty content", "2025-06-01T12:00:00Z stdout F ", "2025-06-01T12:00:00Z|Stdout|F|")]
    [InlineData("empty content without its space", "2025-06-01T12:00:00Z stdout F", "2025-06-01T12:00:00Z|Stdout|F|")]
    [InlineData("content keeps its spaces", "t stdout F  two  spaces ", "t|Stdout|F| two  spaces ")]
    [InlineData("tags after a colon are ignored", "t stdout P:x content", "t|Stdout|P|content")]
    [InlineData("unknown stream", "t stdin F x", null)]
    [InlineData("unknown tag", "t stdout X x", null)]
    [InlineData("plain text", "hello", null)]
    [InlineData("empty line", "", null)]
    public void ParsesAnEntry(string description, string line, string? expected)
    {
        var entry = CriLogEntry.Parse(Encoding.UTF8.GetBytes(line));

        var text = entry is null ? null : $"{entry.Timestamp}|{entry.Stream}|{(entry.Partial ? "P" : "F")}|{Encoding.UTF8.GetString(entry.Content)}";
        Assert.True(text == expected, $"{description}: got {text ?? "null"}");
    }

    [Fact]
    public void JoinsFragmentsPerStream()
    {
        var lines = Decode(
            "t1 stdout P hel\n" +
            "t2 stderr F err\n" +
            "t3 stdout P lo \n" +
            "t4 stdout F world\n" +
            "t5 stdout F next\n");

        Assert.Equal(["t2 Stderr err\\n", "t1 Stdout hello world\\n", "t5 Stdout next\\n"], lines);
    }

    [Theory]
    [InlineData(1)]
    [InlineData(3)]
    [InlineData(7)]
    [InlineData(1000)]
    public void ChunksMayEndAnywhereEvenInsideACharacter(int chunkSize)
    {
        var bytes = Encoding.UTF8.GetBytes("t1 stdout F grüße\nt2 stdout P 日本\nt3 stdout F 語\nt4 stderr F ok\n");
        var lines = new List<string>();
        var decoder = new CriLogDecoder(line => lines.Add(Describe(line)));

        for (var offset = 0; offset < bytes.Length; offset += chunkSize)
            decoder.Feed(bytes.AsSpan(offset, Math.Min(chunkSize, bytes.Length - offset)));
        decoder.Finish();

        Assert.Equal(["t1 Stdout grüße\\n", "t2 Stdout 日本語\\n", "t4 Stderr ok\\n"], lines);
    }

    [Fact]
    public void AnEntryWithoutItsNewlineWaitsForTheRestOrTheEnd()
    {
        Assert.Equal(["t1 Stderr done\\n"], Decode("t1 stderr F done\nt2 stdout F cut", finish: false));
        Assert.Equal(["t1 Stderr done\\n", "t2 Stdout cut\\n"], Decode("t1 stderr F done\nt2 stdout F cut"));
    }

    [Fact]
    public void AFileEndKeepsFragmentsForTheNextFile()
    {
        var lines = new List<string>();
        var decoder = new CriLogDecoder(line => lines.Add(Describe(line)));

        decoder.Feed(Encoding.UTF8.GetBytes("t1 stdout P begun in the old file, \n"));
        decoder.EndOfFile();
        decoder.Feed(Encoding.UTF8.GetBytes("t2 stdout F ended in the new one\n"));

        Assert.Equal(["t1 Stdout begun in the old file, ended in the new one\\n"], lines);
    }

    [Fact]
    public void APartialLineNeverEndedIsPassedOnWithoutANewline()
    {
        Assert.Equal(["t1 Stdout prompt> "], Decode("t1 stdout P prompt> \n"));
    }

    [Fact]
    public void TextThatIsNotCriIsPassedOnAsStdout()
    {
        Assert.Equal([" Stdout garbage\\n", "t Stdout ok\\n"], Decode("garbage\nt stdout F ok\n"));
    }

    private static List<string> Decode(string text, bool finish = true)
    {
        var lines = new List<string>();
        var decoder = new CriLogDecoder(line => lines.Add(Describe(line)));
        decoder.Feed(Encoding.UTF8.GetBytes(text));
        if (finish)
            decoder.Finish();
        return lines;
    }

    private static string Describe(LogLine line) =>
        $"{line.Timestamp} {line.Stream} {Encoding.UTF8.GetString(line.Content)}{(line.EndsLine ? "\\n" : "")}";
}
