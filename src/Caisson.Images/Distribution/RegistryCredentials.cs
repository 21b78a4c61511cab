using System.Security.Cryptography;
using System.Text;
using Caisson.Core.Errors;

namespace Caisson.Images.Distribution;

/// <summary>
/// Credentials for one registry, as a CRI <c>AuthConfig</c> or a docker config entry gives them: a user name and
/// password, an identity (refresh) token for the token server, or a registry (bearer) token sent as is.
/// </summary>
public sealed record RegistryCredentials(string? Username, string? Password, string? IdentityToken, string? RegistryToken)
{
    /// <summary>
    /// Builds credentials from CRI <c>AuthConfig</c> fields; <paramref name="auth"/> is base64 <c>user:password</c> and
    /// is used when no user name is given. Returns null when every field is empty.
    /// </summary>
    public static RegistryCredentials? FromAuthConfig(
        string? username, string? password, string? auth, string? identityToken, string? registryToken)
    {
        if (string.IsNullOrEmpty(username) && !string.IsNullOrEmpty(auth))
            (username, password) = DecodeBasicAuth(auth);
        var credentials = new RegistryCredentials(
            NullIfEmpty(username), NullIfEmpty(password), NullIfEmpty(identityToken), NullIfEmpty(registryToken));
        return credentials.IsEmpty ? null : credentials;
    }

    /// <summary>Decodes a docker <c>auth</c> value (base64 of <c>user:password</c>; the password may contain colons).</summary>
    public static (string Username, string Password) DecodeBasicAuth(string auth)
    {
        string decoded;
        try
        {
            decoded = Encoding.UTF8.GetString(Convert.FromBase64String(auth.Trim()));
        }
        catch (FormatException e)
        {
            throw new InvalidArgumentException("registry auth value is not valid base64 (want base64 of \"user:password\")", e);
        }

        var colon = decoded.IndexOf(':', StringComparison.Ordinal);
        if (colon <= 0)
            throw new InvalidArgumentException("registry auth value does not decode to \"user:password\"");
        return (decoded[..colon], decoded[(colon + 1)..]);
    }

    internal bool IsEmpty =>
        string.IsNullOrEmpty(Username) && string.IsNullOrEmpty(IdentityToken) && string.IsNullOrEmpty(RegistryToken);

    internal bool HasUsernamePassword => !string.IsNullOrEmpty(Username);

    /// <summary>A hash that tells credentials apart in caches without keeping the secrets in the key.</summary>
    internal string Fingerprint =>
        Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes($"{Username}\0{Password}\0{IdentityToken}\0{RegistryToken}")));

    /// <summary>Never prints secrets (records print every property by default).</summary>
    public override string ToString() =>
        $"RegistryCredentials {{ Username = {Username ?? "(none)"}, Password = {Redacted(Password)}, " +
        $"IdentityToken = {Redacted(IdentityToken)}, RegistryToken = {Redacted(RegistryToken)} }}";

    private static string Redacted(string? secret) => string.IsNullOrEmpty(secret) ? "(none)" : "***";

    private static string? NullIfEmpty(string? value) => string.IsNullOrEmpty(value) ? null : value;
}
