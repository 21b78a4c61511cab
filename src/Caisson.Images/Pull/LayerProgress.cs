namespace Caisson.Images.Pull;

/// <summary>Where one layer of a pull stands.</summary>
public enum LayerState
{
    Waiting,
    Downloading,
    Unpacking,
    Done,
    Exists,
}

/// <summary>Live progress of one layer, shared by every pull that needs it.</summary>
public sealed class LayerProgress(string digest, long size)
{
    private long _downloaded;
    private int _state;

    public string Digest { get; } = digest;

    public long Size { get; } = size;

    public long Downloaded => Interlocked.Read(ref _downloaded);

    public LayerState State => (LayerState)Volatile.Read(ref _state);

    internal void Add(long bytes) => Interlocked.Add(ref _downloaded, bytes);

    internal void SetDownloaded(long bytes) => Interlocked.Exchange(ref _downloaded, bytes);

    internal void Set(LayerState state) => Volatile.Write(ref _state, (int)state);
}

/// <summary>A moment of a pull's progress, as reported to the caller.</summary>
public sealed record PullProgressReport(string Reference, IReadOnlyList<LayerProgress> Layers);
