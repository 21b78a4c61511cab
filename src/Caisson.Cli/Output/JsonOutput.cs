using System.Buffers;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;

namespace Caisson.Cli.Output;

/// <summary>Indented JSON written with <see cref="Utf8JsonWriter"/> (no reflection, NativeAOT safe).</summary>
internal static class JsonOutput
{
    private static readonly JsonWriterOptions Options = new()
    {
        Indented = true,
        // Output is read by people and by JSON parsers, never embedded in HTML: keep '+', '<', '&' readable.
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    };

    public static void Write(TextWriter output, Action<Utf8JsonWriter> write)
    {
        var buffer = new ArrayBufferWriter<byte>();
        using (var json = new Utf8JsonWriter(buffer, Options))
            write(json);
        output.WriteLine(Encoding.UTF8.GetString(buffer.WrittenSpan));
    }

    public static void WriteStringArray(Utf8JsonWriter json, string name, IEnumerable<string> values)
    {
        json.WriteStartArray(name);
        foreach (var value in values)
            json.WriteStringValue(value);
        json.WriteEndArray();
    }

    /// <summary>A map as an object, keys in order so output is stable.</summary>
    public static void WriteStringMap(Utf8JsonWriter json, string name, IEnumerable<KeyValuePair<string, string>> map)
    {
        json.WriteStartObject(name);
        foreach (var (key, value) in map.OrderBy(p => p.Key, StringComparer.Ordinal))
            json.WriteString(key, value);
        json.WriteEndObject();
    }

    /// <summary>RFC 3339 UTC time for a Unix time, or null when it is unknown (0).</summary>
    public static void WriteUnixTime(Utf8JsonWriter json, string name, long unixSeconds)
    {
        if (unixSeconds <= 0)
            json.WriteNull(name);
        else
            json.WriteString(name, DateTimeOffset.FromUnixTimeSeconds(unixSeconds).UtcDateTime.ToString("yyyy-MM-ddTHH:mm:ssZ", System.Globalization.CultureInfo.InvariantCulture));
    }

    /// <summary>
    /// Embeds a JSON document the daemon sent as a string, as an object. It is parsed first, so a malformed one
    /// cannot break the output: it is then kept as a plain string.
    /// </summary>
    public static void WriteEmbeddedDocument(Utf8JsonWriter json, string name, string document)
    {
        if (string.IsNullOrEmpty(document))
        {
            json.WriteNull(name);
            return;
        }
        try
        {
            using var parsed = JsonDocument.Parse(document);
            json.WritePropertyName(name);
            parsed.RootElement.WriteTo(json);
        }
        catch (JsonException)
        {
            json.WriteString(name, document);
        }
    }
}
