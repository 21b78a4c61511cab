using Caisson.Core.Digests;

namespace Caisson.Images.Distribution;

/// <summary>
/// One place that serves a registry's content: a mirror or the registry itself. <see cref="Root"/> is its
/// <c>/v2/</c> URL, under any path prefix a mirror has.
/// </summary>
internal sealed record RegistryEndpoint(Uri Root, string Registry, bool IsMirror, RegistryHostOptions? HostOptions)
{
    /// <summary>Where requests carrying this endpoint's credentials may go: scheme, host and port.</summary>
    public string Origin => Root.GetLeftPart(UriPartial.Authority);

    /// <summary>Whose credentials this endpoint gets: a mirror's own host, or the registry name.</summary>
    public string CredentialHost => IsMirror ? Root.Authority : Registry;

    public Uri Manifest(string repository, string reference) => new(Root, $"{repository}/manifests/{reference}");

    public Uri Blob(string repository, Digest digest) => new(Root, $"{repository}/blobs/{digest}");

    public Uri Uploads(string repository) => new(Root, $"{repository}/blobs/uploads/");

    /// <summary>The base URL, as people configure it (without <c>/v2/</c>).</summary>
    public override string ToString() => Root.AbsoluteUri[..^"v2/".Length].TrimEnd('/');
}
