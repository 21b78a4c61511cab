using Microsoft.AspNetCore.Http;

namespace Caisson.Testing.FaultRegistry;

public sealed partial class FaultInjectingRegistry
{
    private const int MaxManifestBytes = 4 * 1024 * 1024;

    /// <summary>POST starts a session (or stores a monolithic upload with ?digest=); PATCH appends; PUT appends and commits.</summary>
    private async Task HandleUploadAsync(HttpContext context, string repository, string? session)
    {
        var request = context.Request;
        var response = context.Response;
        var digest = request.Query["digest"].ToString();
        if (session is null && HttpMethods.IsPost(request.Method))
        {
            if (digest.Length > 0)
            {
                await CommitBlobAsync(context, repository, await ReadBodyAsync(request), digest);
                return;
            }

            var id = content.StartUpload();
            response.StatusCode = StatusCodes.Status202Accepted;
            response.Headers.Location = $"{pathPrefix}/v2/{repository}/blobs/uploads/{id}";
            response.Headers["Docker-Upload-UUID"] = id;
            response.Headers["Range"] = "0-0";
            return;
        }

        if (session is null || !(HttpMethods.IsPatch(request.Method) || HttpMethods.IsPut(request.Method)))
        {
            await WriteErrorAsync(context, StatusCodes.Status405MethodNotAllowed, "UNSUPPORTED", "unsupported upload request");
            return;
        }

        if (content.AppendUpload(session, await ReadBodyAsync(request)) is not { } length)
        {
            await WriteErrorAsync(context, StatusCodes.Status404NotFound, "BLOB_UPLOAD_UNKNOWN", "upload unknown");
            return;
        }

        if (HttpMethods.IsPatch(request.Method))
        {
            response.StatusCode = StatusCodes.Status202Accepted;
            response.Headers.Location = $"{pathPrefix}/v2/{repository}/blobs/uploads/{session}";
            response.Headers["Range"] = $"0-{length - 1}";
            return;
        }

        await CommitBlobAsync(context, repository, content.FinishUpload(session)!, digest);
    }

    private async Task CommitBlobAsync(HttpContext context, string repository, byte[] bytes, string digest)
    {
        var actual = RegistryContent.DigestOf(bytes);
        if (actual != digest)
        {
            await WriteErrorAsync(context, StatusCodes.Status400BadRequest, "DIGEST_INVALID", $"content is {actual}, not {digest}");
            return;
        }

        content.PutBlob(repository, bytes);
        context.Response.StatusCode = StatusCodes.Status201Created;
        context.Response.Headers.Location = $"{pathPrefix}/v2/{repository}/blobs/{digest}";
        context.Response.Headers["Docker-Content-Digest"] = digest;
    }

    private async Task ReceiveManifestAsync(HttpContext context, string repository, string reference)
    {
        var bytes = await ReadBodyAsync(context.Request, MaxManifestBytes);
        var digest = RegistryContent.DigestOf(bytes);
        var byDigest = reference.Contains(':', StringComparison.Ordinal);
        if (byDigest && reference != digest)
        {
            await WriteErrorAsync(context, StatusCodes.Status400BadRequest, "DIGEST_INVALID", $"manifest is {digest}, not {reference}");
            return;
        }

        content.PutManifest(repository, byDigest ? null : reference, bytes, context.Request.ContentType ?? "application/octet-stream");
        context.Response.StatusCode = StatusCodes.Status201Created;
        context.Response.Headers.Location = $"{pathPrefix}/v2/{repository}/manifests/{digest}";
        context.Response.Headers["Docker-Content-Digest"] = digest;
    }

    private static async Task<byte[]> ReadBodyAsync(HttpRequest request, long limit = long.MaxValue)
    {
        using var buffer = new MemoryStream();
        await request.Body.CopyToAsync(buffer, request.HttpContext.RequestAborted);
        if (buffer.Length > limit)
            throw new InvalidOperationException($"request body over {limit} bytes");
        return buffer.ToArray();
    }
}
