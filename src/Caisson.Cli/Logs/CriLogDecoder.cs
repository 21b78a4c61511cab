namespace Caisson.Cli.Logs;

/// <summary>
/// Turns the bytes of a CRI log file, fed in whatever chunks they are read, into <see cref="LogLine"/>s: it splits
/// at newlines (keeping an unfinished line for the next chunk) and joins each stream's P fragments up to its F entry.
/// A line not in the CRI format is passed on whole as standard output rather than lost.
/// </summary>
internal sealed class CriLogDecoder(Action<LogLine> emit)
{
    private readonly List<byte> _unfinished = [];
    private readonly Dictionary<LogStream, (string Timestamp, List<byte> Content)> _fragments = [];

    public void Feed(ReadOnlySpan<byte> bytes)
    {
        while (bytes.Length > 0)
        {
            var newline = bytes.IndexOf((byte)'\n');
            if (newline < 0)
            {
                _unfinished.AddRange(bytes);
                return;
            }
            if (_unfinished.Count == 0)
            {
                Decode(bytes[..newline]);
            }
            else
            {
                _unfinished.AddRange(bytes[..newline]);
                Decode(_unfinished.ToArray());
                _unfinished.Clear();
            }
            bytes = bytes[(newline + 1)..];
        }
    }

    /// <summary>
    /// The end of one file (a rotated log continues in the next): an entry without its newline is decoded as it is.
    /// A line's fragments may go on in the next file, so they are kept.
    /// </summary>
    public void EndOfFile()
    {
        if (_unfinished.Count == 0)
            return;
        Decode(_unfinished.ToArray());
        _unfinished.Clear();
    }

    /// <summary>The end of the log: besides <see cref="EndOfFile"/>, a line whose last fragment never came is passed on.</summary>
    public void Finish()
    {
        EndOfFile();
        foreach (var (stream, (timestamp, content)) in _fragments.OrderBy(f => f.Value.Timestamp, StringComparer.Ordinal))
            emit(new LogLine(timestamp, stream, [.. content], EndsLine: false));
        _fragments.Clear();
    }

    private void Decode(ReadOnlySpan<byte> line)
    {
        if (CriLogEntry.Parse(line) is not { } entry)
        {
            emit(new LogLine("", LogStream.Stdout, line.ToArray(), EndsLine: true));
            return;
        }
        if (_fragments.Remove(entry.Stream, out var pending))
        {
            pending.Content.AddRange(entry.Content);
            if (entry.Partial)
                _fragments[entry.Stream] = pending;
            else
                emit(new LogLine(pending.Timestamp, entry.Stream, [.. pending.Content], EndsLine: true));
            return;
        }
        if (entry.Partial)
            _fragments[entry.Stream] = (entry.Timestamp, [.. entry.Content]);
        else
            emit(new LogLine(entry.Timestamp, entry.Stream, entry.Content, EndsLine: true));
    }
}
