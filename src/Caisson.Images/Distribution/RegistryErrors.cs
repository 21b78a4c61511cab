using System.Net;
using System.Text;
using System.Text.Json;
using Caisson.Core.Digests;
using Caisson.Core.Errors;

namespace Caisson.Images.Distribution;

/// <summary>Turns registry responses and transport failures into <see cref="CaissonException"/>s with context.</summary>
internal static class RegistryErrors
{
    private const int MaxErrorBodyBytes = 64 * 1024;
    private static readonly string[] NotFoundCodes = ["MANIFEST_UNKNOWN", "BLOB_UNKNOWN", "NAME_UNKNOWN"];

    /// <summary>The error for a failed response, with the registry's own error list in the message.</summary>
    public static async Task<CaissonException> FromResponseAsync(
        HttpResponseMessage response, string what, string where, CancellationToken ct)
    {
        var (codes, details) = await ReadErrorBodyAsync(response, ct);
        var status = (int)response.StatusCode;
        var suffix = details.Length > 0 ? $": {details}" : "";
        var host = response.RequestMessage?.RequestUri?.Authority ?? where;

        if (response.StatusCode == HttpStatusCode.NotFound || codes.Any(NotFoundCodes.Contains))
            return new NotFoundException($"{what} not found at {where} (HTTP {status}){suffix}");
        return response.StatusCode switch
        {
            HttpStatusCode.Unauthorized => new CaissonException(
                ErrorKind.Unauthenticated, $"{what}: {host} refused our credentials or wants some (HTTP 401){suffix}"),
            HttpStatusCode.Forbidden => new CaissonException(
                ErrorKind.PermissionDenied, $"{what}: {host} denied access (HTTP 403){suffix}"),
            HttpStatusCode.TooManyRequests => new CaissonException(
                ErrorKind.ResourceExhausted, $"{what}: {host} is rate limiting us (HTTP 429){suffix}"),
            >= HttpStatusCode.InternalServerError => new CaissonException(
                ErrorKind.Unavailable, $"{what}: {where} failed with HTTP {status}{suffix}"),
            _ => new FailedPreconditionException(
                $"{what}: {where} answered HTTP {status} {response.ReasonPhrase}{suffix}"),
        };
    }

    /// <summary>Whether the next endpoint (mirror, then registry) may have better luck.</summary>
    public static bool TryNextEndpoint(CaissonException e) =>
        e.Kind is ErrorKind.NotFound or ErrorKind.Unavailable or ErrorKind.ResourceExhausted;

    /// <summary>Whether trying the same endpoint again may help.</summary>
    public static bool IsTransient(CaissonException e) => e.Kind == ErrorKind.Unavailable;

    /// <summary>
    /// A transport failure: transient, except a TLS failure, which is a configuration problem (CA file, skip_verify)
    /// that retrying or silently moving on to another endpoint would hide.
    /// </summary>
    public static CaissonException Network(string what, Uri uri, HttpRequestException e) =>
        e.HttpRequestError == HttpRequestError.SecureConnectionError
            ? new FailedPreconditionException($"{what}: TLS with {uri.Authority} failed: {Describe(e)}", e)
            : new CaissonException(ErrorKind.Unavailable, $"{what}: {LogUrl.Of(uri)}: {Describe(e)}", e);

    public static CaissonException DigestMismatch(string what, Digest expected, Digest actual) =>
        new FailedPreconditionException($"{what}: digest mismatch: expected {expected}, got {actual}");

    public static CaissonException BadContent(string what, string why) => new FailedPreconditionException($"{what}: {why}");

    /// <summary><paramref name="e"/> with <paramref name="what"/> in front, unless its message already names it.</summary>
    public static CaissonException InContext(string what, CaissonException e) =>
        e.Message.Contains(what, StringComparison.Ordinal) ? e : WithContext(e, $"{what}: {e.Message}");

    /// <summary>The same kind, and the same exception type where the kind has one, with <paramref name="message"/>.</summary>
    public static CaissonException WithContext(CaissonException e, string message) => e.Kind switch
    {
        ErrorKind.NotFound => new NotFoundException(message, e),
        ErrorKind.InvalidArgument => new InvalidArgumentException(message, e),
        ErrorKind.FailedPrecondition => new FailedPreconditionException(message, e),
        ErrorKind.AlreadyExists => new AlreadyExistsException(message, e),
        _ => new CaissonException(e.Kind, message, e),
    };

    private static string Describe(Exception e)
    {
        var parts = new List<string>();
        for (var current = e; current is not null; current = current.InnerException)
        {
            if (!parts.Contains(current.Message))
                parts.Add(current.Message);
        }

        return string.Join(": ", parts);
    }

    private static async Task<(string[] Codes, string Details)> ReadErrorBodyAsync(HttpResponseMessage response, CancellationToken ct)
    {
        byte[] body;
        try
        {
            body = await BoundedContent.ReadAsync(response, MaxErrorBodyBytes, TimeSpan.FromSeconds(10), "error body", truncate: true, ct);
        }
        catch (Exception e) when (e is CaissonException or IOException or HttpRequestException)
        {
            return ([], "");
        }

        if (body.Length == 0)
            return ([], "");
        try
        {
            using var document = JsonDocument.Parse(body);
            if (document.RootElement.ValueKind == JsonValueKind.Object
                && document.RootElement.TryGetProperty("errors", out var errors) && errors.ValueKind == JsonValueKind.Array)
            {
                var codes = new List<string>();
                var messages = new List<string>();
                foreach (var error in errors.EnumerateArray())
                {
                    var code = StringProperty(error, "code");
                    var message = StringProperty(error, "message");
                    if (code is not null)
                        codes.Add(code);
                    messages.Add(string.Join(": ", new[] { code, message }.Where(s => !string.IsNullOrEmpty(s))));
                }

                return (codes.ToArray(), string.Join("; ", messages));
            }
        }
        catch (JsonException)
        {
            // Not the registry error format: show the start of the body instead.
        }

        var text = Encoding.UTF8.GetString(body, 0, Math.Min(body.Length, 200)).ReplaceLineEndings(" ").Trim();
        return ([], text);
    }

    private static string? StringProperty(JsonElement element, string name) =>
        element.ValueKind == JsonValueKind.Object && element.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String
            ? value.GetString()
            : null;
}
