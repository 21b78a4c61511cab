namespace Caisson.Images.Distribution;

/// <summary>URLs as they may appear in logs and errors: query strings carry pre-signed secrets, so they are cut.</summary>
internal static class LogUrl
{
    public static string Of(Uri uri) =>
        uri.GetLeftPart(UriPartial.Path) + (uri.Query.Length > 1 ? "?…" : "");
}
