using System.Net;
using Caisson.Core.Errors;
using Microsoft.Extensions.Logging;

namespace Caisson.Images.Distribution;

/// <summary>
/// A read-only stream of a blob from an offset that survives broken connections: after a cut, stall, premature end or
/// 5xx it asks again with a Range header (with backoff, at most MaxRetries times without progress), then moves on to
/// the next source. It never delivers more than the descriptor's size, and refuses responses whose framing disagrees
/// with it. The caller verifies the digest (see <see cref="VerifyingStream"/>).
/// </summary>
internal sealed class ResumableBlobStream(
    IReadOnlyList<BlobSource> sources, BlobRequester request, long size, long start, string what, RegistryOptions options, ILogger logger)
    : ReadOnlyStream
{
    private readonly List<string> abandoned = [];
    private readonly long start = start;
    private int sourceIndex;
    private long position = start;
    private long skip;
    private HttpResponseMessage? response;
    private Stream? body;
    private int failures;
    private bool deliveredFromSource;
    private bool finished;
    private bool disposed;

    public override bool CanRead => !disposed;

    public override long Length => size - start;

    protected override long BytesRead => position - start;

    /// <summary>Opens the first response, so that a missing blob or refused credentials fail before any read.</summary>
    public async Task OpenAsync(CancellationToken ct)
    {
        while (body is null && !(position == size && size > 0))
            await TryOpenAsync(ct);
    }

    public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
    {
        ObjectDisposedException.ThrowIf(disposed, this);
        if (buffer.IsEmpty || finished)
            return 0;
        while (true)
        {
            if (position == size)
                return await FinishAsync(cancellationToken);
            if (body is null)
            {
                await TryOpenAsync(cancellationToken);
                continue;
            }

            CaissonException failure;
            try
            {
                if (skip > 0)
                {
                    await SkipAsync(cancellationToken);
                    continue;
                }

                var wanted = (int)Math.Min(buffer.Length, size - position);
                var read = await StallGuard.ReadAsync(body, buffer[..wanted], options.StallTimeout, cancellationToken);
                if (read == 0)
                    throw new CaissonException(ErrorKind.Unavailable, $"the connection ended after {position} of {size} bytes");
                position += read;
                failures = 0;
                deliveredFromSource = true;
                return read;
            }
            catch (Exception e) when (IsTransportFailure(e) && !cancellationToken.IsCancellationRequested)
            {
                CloseResponse();
                failure = AsUnavailable(e);
            }

            await HandleFailureAsync(failure, cancellationToken);
        }
    }

    private async Task TryOpenAsync(CancellationToken ct)
    {
        var source = sources[sourceIndex];
        HttpResponseMessage? opened = null;
        CaissonException failure;
        try
        {
            opened = await request(source, position, ct);
            if (!opened.IsSuccessStatusCode)
                throw await RegistryErrors.FromResponseAsync(opened, what, source.ToString(), ct);
            skip = CheckFraming(opened, source);
            body = await opened.Content.ReadAsStreamAsync(ct);
            response = opened;
            return;
        }
        catch (CaissonException e) when (!ct.IsCancellationRequested)
        {
            failure = e;
        }
        catch (Exception e) when (IsTransportFailure(e) && !ct.IsCancellationRequested)
        {
            failure = AsUnavailable(e);
        }

        opened?.Dispose();
        await HandleFailureAsync(failure, ct);
    }

    /// <summary>Checks status and lengths against the descriptor; returns how many leading bytes to discard.</summary>
    private long CheckFraming(HttpResponseMessage opened, BlobSource source)
    {
        var declared = opened.Content.Headers.ContentLength;
        if (opened.StatusCode == HttpStatusCode.PartialContent)
        {
            var range = opened.Content.Headers.ContentRange;
            if (range is null || range.Unit != "bytes" || range.From != position || (range.HasLength && range.Length != size))
            {
                throw RegistryErrors.BadContent(what,
                    $"{source} answered our request for bytes {position}- with Content-Range \"{range}\" (the blob has {size} bytes)");
            }

            if (declared is { } partial && partial != size - position)
                throw RegistryErrors.BadContent(what, $"{source} sent Content-Length {partial} for bytes {position}-{size - 1}");
            return 0;
        }

        if (opened.StatusCode != HttpStatusCode.OK)
            throw RegistryErrors.BadContent(what, $"{source} answered HTTP {(int)opened.StatusCode} instead of the blob");
        if (declared is { } length && length != size)
            throw RegistryErrors.BadContent(what, $"{source} sent Content-Length {length}, its descriptor declares {size} bytes");
        if (position > 0)
            DistributionLog.RangeIgnored(logger, LogUrl.Of(opened.RequestMessage?.RequestUri ?? source.Uri), position);
        return position;
    }

    private async Task SkipAsync(CancellationToken ct)
    {
        var scratch = new byte[(int)Math.Min(skip, 81920)];
        var read = await StallGuard.ReadAsync(body!, scratch, options.StallTimeout, ct);
        if (read == 0)
            throw new CaissonException(ErrorKind.Unavailable, $"the connection ended while re-reading the first {position} bytes");
        skip -= read;
    }

    /// <summary>At the declared size: any further byte means the registry sent more than the blob.</summary>
    private async Task<int> FinishAsync(CancellationToken ct)
    {
        if (body is not null)
        {
            int extra;
            try
            {
                extra = await StallGuard.ReadAsync(body, new byte[1], options.StallTimeout, ct);
            }
            catch (Exception e) when (IsTransportFailure(e) && !ct.IsCancellationRequested)
            {
                extra = 0; // Every byte is in; how the connection ends after them does not matter.
            }

            if (extra > 0)
                throw RegistryErrors.BadContent(what, $"{sources[sourceIndex]} sent more than the {size} bytes its descriptor declares");
        }

        CloseResponse();
        finished = true;
        return 0;
    }

    private async Task HandleFailureAsync(CaissonException e, CancellationToken ct)
    {
        var source = sources[sourceIndex];
        var hasNext = sourceIndex + 1 < sources.Count;
        if (RegistryErrors.IsTransient(e) && failures < options.MaxRetries && (deliveredFromSource || !hasNext))
        {
            failures++;
            var delay = Backoff.Delay(options.RetryBaseDelay, failures);
            DistributionLog.Retrying(logger, $"{InContext(e, source)} (at byte {position})", failures, options.MaxRetries,
                (long)delay.TotalMilliseconds);
            await Task.Delay(delay, ct);
            return;
        }

        if (hasNext && (source.IsForeign || RegistryErrors.TryNextEndpoint(e)))
        {
            DistributionLog.EndpointFailed(logger, InContext(e, source));
            abandoned.Add($"{source}: {e.Message}");
            sourceIndex++;
            failures = 0;
            deliveredFromSource = false;
            return;
        }

        var retried = failures > 0 ? $" (gave up after {failures} retries)" : "";
        var before = abandoned.Count > 0 ? $" (after {string.Join("; ", abandoned)})" : "";
        throw RegistryErrors.WithContext(e, InContext(e, source) + retried + before);
    }

    private string InContext(CaissonException e, BlobSource source) =>
        e.Message.Contains(what, StringComparison.Ordinal) ? e.Message : $"{what} from {source}: {e.Message}";

    private static bool IsTransportFailure(Exception e) =>
        e is IOException or HttpRequestException or CaissonException { Kind: ErrorKind.Unavailable };

    private CaissonException AsUnavailable(Exception e) => e as CaissonException
        ?? new CaissonException(ErrorKind.Unavailable, $"reading failed after {position} of {size} bytes: {e.Message}", e);

    private void CloseResponse()
    {
        body?.Dispose();
        response?.Dispose();
        body = null;
        response = null;
        skip = 0;
    }

    protected override void Dispose(bool disposing)
    {
        if (disposing && !disposed)
        {
            disposed = true;
            CloseResponse();
        }

        base.Dispose(disposing);
    }
}
