using Caisson.Api.V1;

namespace Caisson.Cli.Progress;

/// <summary>
/// The latest known progress of every layer of one pull, in the order the layers first appeared. The daemon may send
/// every layer in each message or only the ones that changed; merging by digest handles both.
/// </summary>
internal sealed class PullProgressState
{
    private readonly List<LayerProgress> _layers = [];

    public IReadOnlyList<LayerProgress> Layers => _layers;

    /// <summary>Bytes of the layers this pull has to fetch (layers already present do not count).</summary>
    public long TotalBytes => _layers.Where(l => l.State != LayerStates.Exists).Sum(l => l.Size);

    public long DownloadedBytes => _layers.Where(l => l.State != LayerStates.Exists).Sum(DownloadedOf);

    /// <summary>Merges a message and returns the layers whose state changed (new layers included).</summary>
    public IReadOnlyList<LayerProgress> Apply(PullProgress message)
    {
        var changed = new List<LayerProgress>();
        foreach (var update in message.Layers)
        {
            var index = _layers.FindIndex(l => l.Digest == update.Digest);
            if (index < 0)
            {
                _layers.Add(update);
                changed.Add(update);
                continue;
            }
            if (_layers[index].State != update.State)
                changed.Add(update);
            _layers[index] = update;
        }
        return changed;
    }

    /// <summary>Downloaded bytes as shown: all of a complete layer, never more than its size.</summary>
    public static long DownloadedOf(LayerProgress layer) =>
        LayerStates.IsComplete(layer.State) ? layer.Size
        : layer.Size > 0 ? Math.Clamp(layer.Downloaded, 0, layer.Size)
        : Math.Max(layer.Downloaded, 0);

    /// <summary>"sha256:abcdef0123456789..." as the 12 hex characters people recognise.</summary>
    public static string ShortDigest(string digest) => Output.ImageText.ShortId(digest);
}
