using Caisson.Api.V1;
using Caisson.Cli.Output;

namespace Caisson.Cli.Progress;

/// <summary>One line per layer state change, for logs and pipes where cursor movement would be noise.</summary>
internal sealed class PlainPullProgress(TextWriter output, TimeProvider time) : IPullProgressView
{
    private readonly PullProgressState _state = new();
    private readonly long _started = time.GetTimestamp();

    public void Update(PullProgress message)
    {
        foreach (var layer in _state.Apply(message))
        {
            var size = layer.Size > 0 ? $" ({HumanFormat.Size(layer.Size)})" : "";
            output.WriteLine($"{PullProgressState.ShortDigest(layer.Digest)}: {layer.State}{size}");
        }
    }

    public void Complete()
    {
        if (_state.Layers.Count == 0)
            return;
        var elapsed = time.GetElapsedTime(_started);
        output.WriteLine(
            $"downloaded {HumanFormat.Size(_state.DownloadedBytes)} in {elapsed.TotalSeconds:0.0}s "
            + $"({HumanFormat.Speed(_state.DownloadedBytes, elapsed)})");
    }
}
