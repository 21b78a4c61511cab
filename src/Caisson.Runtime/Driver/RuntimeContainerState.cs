using System.Globalization;
using System.Text.Json;
using Caisson.Core.Errors;

namespace Caisson.Runtime.Driver;

/// <summary>The status names of the OCI runtime spec's state operation (runc adds paused).</summary>
public enum RuntimeContainerStatus
{
    Creating,
    Created,
    Running,
    Stopped,
    Paused,
}

/// <summary>What `runc state` reports for one container.</summary>
public sealed record RuntimeContainerState(
    string Id, RuntimeContainerStatus Status, int Pid, string Bundle, DateTimeOffset? Created)
{
    /// <summary>Parses the runtime's state JSON; anything missing or unknown is an error naming the container.</summary>
    internal static RuntimeContainerState Parse(string id, string json)
    {
        try
        {
            using var document = JsonDocument.Parse(json);
            var root = document.RootElement;
            var status = root.GetProperty("status").GetString();
            var created = root.TryGetProperty("created", out var createdElement) && createdElement.ValueKind == JsonValueKind.String
                ? DateTimeOffset.Parse(createdElement.GetString()!, CultureInfo.InvariantCulture)
                : (DateTimeOffset?)null;
            return new RuntimeContainerState(
                root.GetProperty("id").GetString() ?? id,
                ParseStatus(status),
                root.TryGetProperty("pid", out var pid) ? pid.GetInt32() : 0,
                root.TryGetProperty("bundle", out var bundle) ? bundle.GetString() ?? "" : "",
                created);
        }
        catch (Exception error) when (error is JsonException or KeyNotFoundException or InvalidOperationException or FormatException)
        {
            throw new CaissonException(ErrorKind.Internal, $"state of container {id}: unreadable runtime answer: {error.Message}", error);
        }
    }

    private static RuntimeContainerStatus ParseStatus(string? status) => status switch
    {
        "creating" => RuntimeContainerStatus.Creating,
        "created" => RuntimeContainerStatus.Created,
        "running" => RuntimeContainerStatus.Running,
        "stopped" => RuntimeContainerStatus.Stopped,
        "paused" => RuntimeContainerStatus.Paused,
        _ => throw new FormatException($"unknown status \"{status}\""),
    };
}
