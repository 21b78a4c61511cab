using Caisson.Core.Errors;

namespace Caisson.Images.Distribution;

/// <summary>Reads that fail when the peer sends nothing for too long, instead of hanging a pull forever.</summary>
internal static class StallGuard
{
    public static async ValueTask<int> ReadAsync(Stream stream, Memory<byte> buffer, TimeSpan stallTimeout, CancellationToken ct)
    {
        using var stall = CancellationTokenSource.CreateLinkedTokenSource(ct);
        stall.CancelAfter(stallTimeout);
        try
        {
            return await stream.ReadAsync(buffer, stall.Token);
        }
        catch (OperationCanceledException e) when (!ct.IsCancellationRequested)
        {
            throw new CaissonException(ErrorKind.Unavailable, $"no data for {stallTimeout.TotalSeconds:0.#} s", e);
        }
    }
}
