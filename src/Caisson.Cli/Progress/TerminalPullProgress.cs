using System.Text;
using Caisson.Api.V1;
using Caisson.Cli.Output;

namespace Caisson.Cli.Progress;

/// <summary>
/// A progress bar per layer plus a total line, redrawn in place: each draw moves the cursor up over the lines of
/// the previous one and rewrites them. Lines are cut to the terminal width so none wraps and breaks the count.
/// </summary>
internal sealed class TerminalPullProgress(TextWriter output, TimeProvider time, int terminalWidth) : IPullProgressView
{
    private const int BarWidth = 30;
    private const string ClearLine = "\r\u001b[2K";
    private static readonly TimeSpan RedrawInterval = TimeSpan.FromMilliseconds(100);

    private readonly PullProgressState _state = new();
    private readonly long _started = time.GetTimestamp();
    private long _lastDraw;
    private int _linesDrawn;

    public void Update(PullProgress message)
    {
        var changed = _state.Apply(message);
        // Byte counts arrive often; redraw for them at most every RedrawInterval, but show state changes at once.
        if (changed.Count > 0 || time.GetElapsedTime(_lastDraw) >= RedrawInterval)
            Draw();
    }

    public void Complete() => Draw();

    private void Draw()
    {
        if (_state.Layers.Count == 0)
            return;
        var screen = new StringBuilder();
        if (_linesDrawn > 0)
            screen.Append($"\u001b[{_linesDrawn}A");
        foreach (var layer in _state.Layers)
            AppendLine(screen, FormatLayer(layer));
        AppendLine(screen, FormatTotal());
        output.Write(screen.ToString());
        output.Flush();
        _linesDrawn = _state.Layers.Count + 1;
        _lastDraw = time.GetTimestamp();
    }

    private string FormatLayer(LayerProgress layer)
    {
        var downloaded = PullProgressState.DownloadedOf(layer);
        var amount = layer.State is LayerStates.Waiting or LayerStates.Exists
            ? ""
            : $"{HumanFormat.Size(downloaded)} / {HumanFormat.Size(layer.Size)}";
        return $"{PullProgressState.ShortDigest(layer.Digest),-12}  {Bar(layer.State, downloaded, layer.Size)}  {amount,-17}  {layer.State}";
    }

    private string FormatTotal()
    {
        var total = _state.TotalBytes;
        var downloaded = _state.DownloadedBytes;
        var speed = HumanFormat.Speed(downloaded, time.GetElapsedTime(_started));
        var state = total > 0 && downloaded >= total ? LayerStates.Done : LayerStates.Downloading;
        return $"{"total",-12}  {Bar(state, downloaded, total)}  {$"{HumanFormat.Size(downloaded)} / {HumanFormat.Size(total)}",-17}  {speed}";
    }

    internal static string Bar(string state, long downloaded, long size)
    {
        int filled;
        if (LayerStates.IsComplete(state))
            filled = BarWidth;
        else if (state == LayerStates.Waiting || size <= 0)
            filled = 0;
        else
            filled = (int)Math.Min(BarWidth, BarWidth * downloaded / size);
        var bar = new StringBuilder(BarWidth + 2).Append('[').Append('=', filled);
        if (filled < BarWidth)
            bar.Append(filled > 0 ? '>' : ' ').Append(' ', BarWidth - filled - 1);
        return bar.Append(']').ToString();
    }

    private void AppendLine(StringBuilder screen, string line)
    {
        if (terminalWidth > 1 && line.Length >= terminalWidth)
            line = line[..(terminalWidth - 1)];
        screen.Append(ClearLine).Append(line).Append('\n');
    }
}
