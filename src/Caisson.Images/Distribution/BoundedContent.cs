using Caisson.Core.Errors;

namespace Caisson.Images.Distribution;

/// <summary>Reads a response body into memory without ever reading more than a limit (plus one byte to notice).</summary>
internal static class BoundedContent
{
    /// <summary>
    /// The whole body, refused without reading when Content-Length is over <paramref name="limit"/>, and refused as soon
    /// as more than <paramref name="limit"/> bytes arrive; with <paramref name="truncate"/> the rest is ignored instead.
    /// </summary>
    public static async Task<byte[]> ReadAsync(
        HttpResponseMessage response, long limit, TimeSpan stallTimeout, string what, bool truncate, CancellationToken ct,
        string limitName = "limit")
    {
        var declared = response.Content.Headers.ContentLength;
        if (declared > limit && !truncate)
            throw TooLarge(what, $"the registry announced {declared} bytes");

        var capacity = (int)Math.Min(declared ?? 16 * 1024, limit + 1);
        var buffer = new byte[Math.Max(capacity, 1)];
        var length = 0;
        await using var body = await response.Content.ReadAsStreamAsync(ct);
        while (true)
        {
            if (length == buffer.Length)
            {
                if (length > limit)
                    break;
                Array.Resize(ref buffer, (int)Math.Min((long)buffer.Length * 2, limit + 1));
            }

            var read = await StallGuard.ReadAsync(body, buffer.AsMemory(length), stallTimeout, ct);
            if (read == 0)
                break;
            length += read;
        }

        if (length > limit)
        {
            if (!truncate)
                throw TooLarge(what, "the body kept going");
            length = (int)limit;
        }

        return length == buffer.Length ? buffer : buffer[..length];

        CaissonException TooLarge(string subject, string why) =>
            new(ErrorKind.ResourceExhausted, $"{subject} is over the {limit}-byte {limitName} ({why}); refusing to read it");
    }
}
