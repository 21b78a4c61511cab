using Caisson.Core.Digests;
using Caisson.Testing.Images;

namespace Caisson.Tests.Testing;

/// <summary>Checks with plain HTTP that a registry holds exactly what was pushed.</summary>
internal static class RegistryAssert
{
    /// <summary>The manifest under <paramref name="reference"/>, its child manifests and every blob match <paramref name="content"/>.</summary>
    public static async Task StoredAsync(HttpClient client, string repository, string reference, IBuiltManifest content)
    {
        var (bytes, contentType, digestHeader) = await RegistryReader.GetManifestAsync(client, repository, reference);
        Assert.Equal(content.Bytes, bytes);
        Assert.Equal(content.Descriptor.MediaType, contentType);
        Assert.Equal(content.Digest.ToString(), digestHeader);

        foreach (var child in content.Children)
            await StoredAsync(client, repository, child.Digest.ToString(), child);
        foreach (var (digest, expected) in content.Blobs)
        {
            var blob = await RegistryReader.GetBlobAsync(client, repository, digest.ToString());
            Assert.Equal(digest, Digest.Sha256Of(blob));
            Assert.Equal(expected.Length, blob.Length);
        }
    }
}
