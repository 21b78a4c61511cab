namespace Caisson.Testing.FaultRegistry;

internal enum RouteKind
{
    Root,
    Manifest,
    Blob,
    Upload,
}

/// <summary>A parsed <c>/v2/...</c> path: repository names contain slashes, so the last keyword decides.</summary>
internal sealed record RegistryRoute(RouteKind Kind, string? Repository, string? Reference)
{
    public static RegistryRoute? Parse(string path)
    {
        if (path is "/v2" or "/v2/")
            return new RegistryRoute(RouteKind.Root, null, null);
        if (!path.StartsWith("/v2/", StringComparison.Ordinal))
            return null;

        var rest = path["/v2/".Length..];
        int at;
        if ((at = rest.LastIndexOf("/manifests/", StringComparison.Ordinal)) > 0)
            return new RegistryRoute(RouteKind.Manifest, rest[..at], rest[(at + "/manifests/".Length)..]);
        if ((at = rest.LastIndexOf("/blobs/uploads", StringComparison.Ordinal)) > 0)
        {
            var id = rest[(at + "/blobs/uploads".Length)..].Trim('/');
            return new RegistryRoute(RouteKind.Upload, rest[..at], id.Length == 0 ? null : id);
        }

        if ((at = rest.LastIndexOf("/blobs/", StringComparison.Ordinal)) > 0)
            return new RegistryRoute(RouteKind.Blob, rest[..at], rest[(at + "/blobs/".Length)..]);
        return null;
    }
}
