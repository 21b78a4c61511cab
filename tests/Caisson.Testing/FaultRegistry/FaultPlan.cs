namespace Caisson.Testing.FaultRegistry;

/// <summary>The faults a <see cref="FaultInjectingRegistry"/> injects; set them before (or between) client calls.</summary>
public sealed class FaultPlan
{
    private readonly Lock gate = new();
    private readonly List<(string? PathContains, int Status)> failures = [];
    private readonly Dictionary<string, Queue<long>> cuts = new(StringComparer.Ordinal);
    private readonly Dictionary<string, Queue<long>> stalls = new(StringComparer.Ordinal);
    private readonly HashSet<string> corrupt = new(StringComparer.Ordinal);
    private readonly Dictionary<string, long> lengthLies = new(StringComparer.Ordinal);
    private readonly Dictionary<string, long> overlong = new(StringComparer.Ordinal);
    private readonly Dictionary<(string Repository, string Reference), (long Bytes, bool DeclareLength)> hugeManifests = [];
    private long hugeBytesSent;

    /// <summary>Answer the next <paramref name="times"/> requests whose path contains <paramref name="pathContains"/> with <paramref name="status"/>.</summary>
    public void FailRequests(int times, int status = 500, string? pathContains = null)
    {
        lock (gate)
        {
            for (var i = 0; i < times; i++)
                failures.Add((pathContains, status));
        }
    }

    /// <summary>Send the headers and the first <paramref name="bytes"/> of the blob, then cut the connection; once per call.</summary>
    public void CutBlobAfter(string digest, long bytes, int times = 1) => Enqueue(cuts, digest, bytes, times);

    /// <summary>Send the first <paramref name="bytes"/> of the blob, then go silent until the client gives up.</summary>
    public void StallBlobAfter(string digest, long bytes, int times = 1) => Enqueue(stalls, digest, bytes, times);

    /// <summary>Serve the blob or manifest with its first byte flipped (same length, wrong digest).</summary>
    public void CorruptContent(string digest)
    {
        lock (gate)
            corrupt.Add(digest);
    }

    /// <summary>
    /// Serve the blob with a Content-Length off by <paramref name="delta"/> and a body that matches the header
    /// (padded with zeros, or cut short): honest HTTP framing, a lie about the blob.
    /// </summary>
    public void LieAboutLength(string digest, long delta)
    {
        lock (gate)
            lengthLies[digest] = delta;
    }

    /// <summary>Serve the blob without Content-Length (chunked) followed by <paramref name="extraBytes"/> zeros.</summary>
    public void SendOverlongBody(string digest, long extraBytes)
    {
        lock (gate)
            overlong[digest] = extraBytes;
    }

    /// <summary>Answer every blob request with the whole blob (200), whatever Range asked for.</summary>
    public bool IgnoreRange { get; set; }

    /// <summary>Send a Docker-Content-Digest that does not match the manifest served.</summary>
    public bool WrongDigestHeader { get; set; }

    /// <summary>Redirect blob GETs (307) to this registry, which gets a copy of the blob first.</summary>
    public FaultInjectingRegistry? RedirectBlobsTo { get; set; }

    /// <summary>Answer this manifest request with <paramref name="bytes"/> of JSON-ish filler, streamed.</summary>
    public void ServeHugeManifest(string repository, string reference, long bytes, bool declareLength)
    {
        lock (gate)
            hugeManifests[(repository, reference)] = (bytes, declareLength);
    }

    /// <summary>How many bytes of huge manifests the server managed to hand to the connection.</summary>
    public long HugeManifestBytesSent => Interlocked.Read(ref hugeBytesSent);

    internal void CountHugeBytes(long bytes) => Interlocked.Add(ref hugeBytesSent, bytes);

    internal int? TakeFailure(string path)
    {
        lock (gate)
        {
            var index = failures.FindIndex(f => f.PathContains is null || path.Contains(f.PathContains, StringComparison.Ordinal));
            if (index < 0)
                return null;
            var status = failures[index].Status;
            failures.RemoveAt(index);
            return status;
        }
    }

    internal long? TakeCut(string digest) => Dequeue(cuts, digest);

    internal long? TakeStall(string digest) => Dequeue(stalls, digest);

    internal bool IsCorrupt(string digest)
    {
        lock (gate)
            return corrupt.Contains(digest);
    }

    internal long LengthLie(string digest)
    {
        lock (gate)
            return lengthLies.GetValueOrDefault(digest);
    }

    internal long Overlong(string digest)
    {
        lock (gate)
            return overlong.GetValueOrDefault(digest);
    }

    internal (long Bytes, bool DeclareLength)? HugeManifest(string repository, string reference)
    {
        lock (gate)
            return hugeManifests.TryGetValue((repository, reference), out var huge) ? huge : null;
    }

    private void Enqueue(Dictionary<string, Queue<long>> faults, string digest, long bytes, int times)
    {
        lock (gate)
        {
            if (!faults.TryGetValue(digest, out var queue))
                faults[digest] = queue = new Queue<long>();
            for (var i = 0; i < times; i++)
                queue.Enqueue(bytes);
        }
    }

    private long? Dequeue(Dictionary<string, Queue<long>> faults, string digest)
    {
        lock (gate)
            return faults.TryGetValue(digest, out var queue) && queue.TryDequeue(out var bytes) ? bytes : null;
    }
}
