using System.Collections.Concurrent;

namespace Caisson.Images.Distribution;

/// <summary>
/// Bearer tokens by (realm, service, scope, credentials), kept until shortly before they expire. The credentials are
/// part of the key so that one client's token never serves another's request.
/// </summary>
internal sealed class BearerTokenCache(TimeProvider time)
{
    private static readonly TimeSpan ExpiryMargin = TimeSpan.FromSeconds(10);
    private readonly ConcurrentDictionary<string, (string Token, DateTimeOffset ExpiresAt)> tokens = new(StringComparer.Ordinal);

    public static string Key(string realm, string? service, string scope, RegistryCredentials? credentials) =>
        $"{realm}\n{service}\n{scope}\n{credentials?.Fingerprint ?? "anonymous"}";

    public string? Get(string key) =>
        tokens.TryGetValue(key, out var entry) && entry.ExpiresAt > time.GetUtcNow() ? entry.Token : null;

    public void Put(string key, string token, TimeSpan lifetime)
    {
        var usable = lifetime > ExpiryMargin * 2 ? lifetime - ExpiryMargin : lifetime;
        tokens[key] = (token, time.GetUtcNow() + usable);
    }

    public void Remove(string key) => tokens.TryRemove(key, out _);
}
