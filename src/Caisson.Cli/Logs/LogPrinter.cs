using System.Text;

namespace Caisson.Cli.Logs;

/// <summary>Writes container output where it belongs: its stdout to ours, its stderr to ours, optionally timestamped.</summary>
internal sealed class LogPrinter(TextWriter stdout, TextWriter stderr, bool timestamps)
{
    public void Write(LogLine line)
    {
        var writer = line.Stream == LogStream.Stderr ? stderr : stdout;
        if (timestamps && line.Timestamp.Length > 0)
        {
            writer.Write(line.Timestamp);
            writer.Write(' ');
        }
        writer.Write(Encoding.UTF8.GetString(line.Content));
        if (line.EndsLine)
            writer.Write('\n');
    }

    public void Flush()
    {
        stdout.Flush();
        stderr.Flush();
    }
}
