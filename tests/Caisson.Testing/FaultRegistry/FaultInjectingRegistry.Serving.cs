using System.Text;
using Microsoft.AspNetCore.Http;
using Microsoft.Net.Http.Headers;

namespace Caisson.Testing.FaultRegistry;

public sealed partial class FaultInjectingRegistry
{
    private const int HugeChunkSize = 64 * 1024;

    private async Task ServeManifestAsync(HttpContext context, string repository, string reference)
    {
        if (Faults.HugeManifest(repository, reference) is { } huge)
        {
            await ServeHugeManifestAsync(context, huge.Bytes, huge.DeclareLength);
            return;
        }

        if (content.GetManifest(repository, reference) is not { } manifest)
        {
            await WriteErrorAsync(context, StatusCodes.Status404NotFound, "MANIFEST_UNKNOWN", "manifest unknown");
            return;
        }

        var bytes = Faults.IsCorrupt(manifest.Digest) ? Flipped(manifest.Content) : manifest.Content;
        var response = context.Response;
        response.ContentType = manifest.MediaType;
        response.ContentLength = bytes.Length;
        response.Headers["Docker-Content-Digest"] = Faults.WrongDigestHeader
            ? RegistryContent.DigestOf(Encoding.UTF8.GetBytes("something else"))
            : manifest.Digest;
        if (!HttpMethods.IsHead(context.Request.Method))
            await response.Body.WriteAsync(bytes, context.RequestAborted);
    }

    private async Task ServeHugeManifestAsync(HttpContext context, long size, bool declareLength)
    {
        var response = context.Response;
        response.ContentType = "application/vnd.oci.image.manifest.v1+json";
        if (declareLength)
            response.ContentLength = size;
        var chunk = new byte[HugeChunkSize];
        Array.Fill(chunk, (byte)' ');
        chunk[0] = (byte)'{';
        try
        {
            for (long sent = 0; sent < size;)
            {
                var length = (int)Math.Min(chunk.Length, size - sent);
                var flushed = await response.BodyWriter.WriteAsync(chunk.AsMemory(0, length), context.RequestAborted);
                // Kestrel quietly drops writes once the client is gone, and says so only through a completed pipe or
                // RequestAborted, which fires on the thread pool: pause now and then to let it.
                if (sent % (1024 * 1024) == 0)
                    await Task.Delay(1, context.RequestAborted);
                if (flushed.IsCompleted || flushed.IsCanceled || context.RequestAborted.IsCancellationRequested)
                    break;
                sent += length;
                Faults.CountHugeBytes(length);
                chunk[0] = (byte)' ';
            }
        }
        catch (Exception e) when (e is IOException or OperationCanceledException or InvalidOperationException)
        {
            // The client hung up, which is what a careful client does with a huge manifest.
        }
    }

    private async Task ServeBlobAsync(HttpContext context, string repository, string digest)
    {
        var blob = content.GetBlob(repository, digest);
        if (blob is null)
        {
            await WriteErrorAsync(context, StatusCodes.Status404NotFound, "BLOB_UNKNOWN", "blob unknown to registry");
            return;
        }

        var response = context.Response;
        if (Faults.RedirectBlobsTo is { } target && HttpMethods.IsGet(context.Request.Method))
        {
            target.AddBlob(repository, blob);
            response.StatusCode = StatusCodes.Status307TemporaryRedirect;
            response.Headers.Location = new Uri(target.BaseUri, $"v2/{repository}/blobs/{digest}?X-Amz-Signature=secret-signature").AbsoluteUri;
            return;
        }

        var bytes = Faults.IsCorrupt(digest) ? Flipped(blob) : blob;
        var (start, partial) = Faults.IgnoreRange ? (0L, false) : RequestedStart(context.Request, bytes.Length);
        if (start > bytes.Length)
        {
            response.Headers.ContentRange = $"bytes */{bytes.Length}";
            await WriteErrorAsync(context, StatusCodes.Status416RangeNotSatisfiable, "RANGE_INVALID", "range not satisfiable");
            return;
        }

        var body = bytes.AsMemory((int)start);
        response.ContentType = "application/octet-stream";
        response.Headers["Docker-Content-Digest"] = digest;
        response.Headers.AcceptRanges = "bytes";
        if (partial)
        {
            response.StatusCode = StatusCodes.Status206PartialContent;
            response.Headers.ContentRange = $"bytes {start}-{bytes.Length - 1}/{bytes.Length}";
        }

        if (Faults.Overlong(digest) is > 0 and var extra)
        {
            await response.Body.WriteAsync(body, context.RequestAborted);
            await response.Body.WriteAsync(new byte[extra], context.RequestAborted);
            return;
        }

        var lie = Faults.LengthLie(digest);
        body = lie < 0 ? body[..Math.Max(0, body.Length + (int)lie)] : body;
        response.ContentLength = body.Length + Math.Max(0, lie);
        if (HttpMethods.IsHead(context.Request.Method))
            return;

        if (Faults.TakeCut(digest) is { } cutAfter)
        {
            await response.Body.WriteAsync(body[..(int)Math.Min(cutAfter, body.Length)], context.RequestAborted);
            await response.Body.FlushAsync(context.RequestAborted);
            // Abort resets the connection, and a reset discards what the client has not read yet: give it a moment,
            // so that the cut lands after exactly the bytes promised.
            await Task.Delay(50, context.RequestAborted);
            context.Abort();
            return;
        }

        if (Faults.TakeStall(digest) is { } stallAfter)
        {
            await response.Body.WriteAsync(body[..(int)Math.Min(stallAfter, body.Length)], context.RequestAborted);
            await response.Body.FlushAsync(context.RequestAborted);
            await Task.Delay(Timeout.Infinite, context.RequestAborted).ContinueWith(_ => { }, TaskScheduler.Default);
            context.Abort();
            return;
        }

        await response.Body.WriteAsync(body, context.RequestAborted);
        if (lie > 0)
            await response.Body.WriteAsync(new byte[lie], context.RequestAborted);
    }

    /// <summary>The start of an open or closed byte range (only <c>bytes=N-</c> and <c>bytes=N-M</c> to the end are served).</summary>
    private static (long Start, bool Partial) RequestedStart(HttpRequest request, long length)
    {
        if (!RangeHeaderValue.TryParse(request.Headers.Range.ToString(), out var range) || range.Ranges.Count != 1)
            return (0, false);
        var from = range.Ranges.First().From;
        return from is { } start ? (start, true) : (0, false);
    }

    private static byte[] Flipped(byte[] bytes)
    {
        var copy = (byte[])bytes.Clone();
        if (copy.Length > 0)
            copy[0] ^= 0xFF;
        return copy;
    }
}
