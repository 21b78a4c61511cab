using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.Http;

namespace Caisson.Testing.FaultRegistry;

/// <summary>
/// The fault-injecting registry's access control: none, Basic, or Bearer tokens from its own token endpoint
/// (<c>/token</c>, which accepts anonymous GETs, Basic credentials, or an OAuth2 refresh-token POST).
/// </summary>
public sealed class RegistryAuth
{
    public const string Service = "fault-registry";

    private readonly Lock gate = new();
    private readonly HashSet<string> validTokens = new(StringComparer.Ordinal);
    private string? basicCredentials;
    private bool tokenMode;
    private string? tokenCredentials;
    private string? refreshToken;
    private bool allowAnonymous;
    private int tokensIssued;

    public void RequireBasic(string username, string password)
    {
        lock (gate)
            basicCredentials = Encode(username, password);
    }

    /// <summary>
    /// Require Bearer tokens. The token endpoint issues them anonymously when <paramref name="allowAnonymous"/>, for
    /// matching Basic credentials, and for a POST with <paramref name="acceptedRefreshToken"/>.
    /// </summary>
    public void RequireToken(string? username = null, string? password = null, string? acceptedRefreshToken = null, bool allowAnonymous = true)
    {
        lock (gate)
        {
            tokenMode = true;
            tokenCredentials = username is null ? null : Encode(username, password ?? "");
            refreshToken = acceptedRefreshToken;
            this.allowAnonymous = allowAnonymous;
        }
    }

    /// <summary>A token the registry accepts without the token endpoint, like a CRI registry token.</summary>
    public string AddStaticToken()
    {
        var token = "static-" + Guid.NewGuid().ToString("N");
        lock (gate)
            validTokens.Add(token);
        return token;
    }

    /// <summary>Forget every token issued so far (as if they expired).</summary>
    public void RevokeTokens()
    {
        lock (gate)
            validTokens.RemoveWhere(t => !t.StartsWith("static-", StringComparison.Ordinal));
    }

    public int TokensIssued => Volatile.Read(ref tokensIssued);

    internal bool IsAuthorized(HttpRequest request)
    {
        var header = request.Headers.Authorization.ToString();
        lock (gate)
        {
            if (tokenMode)
                return header.StartsWith("Bearer ", StringComparison.Ordinal) && validTokens.Contains(header["Bearer ".Length..]);
            if (basicCredentials is not null)
                return header == "Basic " + basicCredentials;
            return true;
        }
    }

    internal void Challenge(HttpResponse response, Uri baseUri, string? repository, bool push)
    {
        bool bearer;
        lock (gate)
            bearer = tokenMode;
        var scope = repository is null ? "" : $",scope=\"repository:{repository}:{(push ? "pull,push" : "pull")}\"";
        response.Headers.WWWAuthenticate = bearer
            ? $"Bearer realm=\"{baseUri}token\",service=\"{Service}\"{scope}"
            : $"Basic realm=\"{Service}\"";
    }

    internal async Task HandleTokenAsync(HttpContext context)
    {
        var request = context.Request;
        string? field;
        bool granted;
        if (HttpMethods.IsPost(request.Method))
        {
            var form = await request.ReadFormAsync(context.RequestAborted);
            lock (gate)
                granted = form["grant_type"] == "refresh_token" && refreshToken is not null && form["refresh_token"] == refreshToken;
            field = "access_token";
        }
        else
        {
            var header = request.Headers.Authorization.ToString();
            lock (gate)
            {
                granted = header.Length == 0
                    ? allowAnonymous
                    : tokenCredentials is not null && header == "Basic " + tokenCredentials;
            }

            field = "token";
        }

        if (!granted)
        {
            context.Response.StatusCode = StatusCodes.Status401Unauthorized;
            await context.Response.WriteAsync("""{"errors":[{"code":"UNAUTHORIZED","message":"token server: bad credentials"}]}""");
            return;
        }

        var token = "issued-" + Guid.NewGuid().ToString("N");
        lock (gate)
            validTokens.Add(token);
        Interlocked.Increment(ref tokensIssued);
        context.Response.ContentType = "application/json";
        await context.Response.WriteAsync(JsonSerializer.Serialize(new Dictionary<string, object> { [field] = token, ["expires_in"] = 300 }));
    }

    private static string Encode(string username, string password) =>
        Convert.ToBase64String(Encoding.UTF8.GetBytes($"{username}:{password}"));
}
