using System.Net.Http.Headers;
using Caisson.Core.Oci;

namespace Caisson.Tests.Testing;

/// <summary>Reads manifests and blobs back with plain HTTP, to check what the test pusher stored.</summary>
internal static class RegistryReader
{
    public static async Task<(byte[] Bytes, string? ContentType, string? DigestHeader)> GetManifestAsync(HttpClient client, string repository, string reference)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, $"v2/{repository}/manifests/{reference}");
        foreach (var mediaType in MediaTypes.ManifestAccept)
            request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue(mediaType));
        using var response = await client.SendAsync(request);
        response.EnsureSuccessStatusCode();
        var digest = response.Headers.TryGetValues("Docker-Content-Digest", out var values) ? values.Single() : null;
        return (await response.Content.ReadAsByteArrayAsync(), response.Content.Headers.ContentType?.MediaType, digest);
    }

    public static async Task<byte[]> GetBlobAsync(HttpClient client, string repository, string digest)
    {
        using var response = await client.GetAsync($"v2/{repository}/blobs/{digest}");
        response.EnsureSuccessStatusCode();
        return await response.Content.ReadAsByteArrayAsync();
    }
}
