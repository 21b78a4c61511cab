using System.Text.Json;
using Caisson.Api.Cri;
using Caisson.Runtime.Containers;
using Google.Protobuf;

namespace Caisson.Cri.Runtime;

/// <summary>
/// The verbose part of ContainerStatus: <c>info["info"]</c>, a JSON object shaped like containerd's (sandboxID,
/// pid, removing, snapshotter, runtimeType, runtimeOptions, config, runtimeSpec) that crictl inspect prints,
/// plus what a reader of a caisson node wants to find (bundle, rootfs, the runtime handler).
/// </summary>
internal static class ContainerStatusInfo
{
    public const string RuntimeType = "caisson-shim";

    private static readonly JsonFormatter ProtoJson = new(JsonFormatter.Settings.Default.WithPreserveProtoFieldNames(true));

    public static string Build(ContainerRecord record, ContainerConfig config, ContainerDetails details)
    {
        using var buffer = new MemoryStream();
        using (var json = new Utf8JsonWriter(buffer))
        {
            json.WriteStartObject();
            json.WriteString("sandboxID", record.SandboxId);
            json.WriteNumber("pid", details.Pid);
            json.WriteBoolean("removing", false);
            json.WriteString("snapshotter", details.Snapshotter);
            json.WriteString("imageChainID", details.ImageChainId ?? "");
            json.WriteString("writableLayer", record.WritableLayer);
            json.WriteString("runtimeType", RuntimeType);
            json.WriteString("runtimeHandler", record.RuntimeHandler);
            json.WriteStartObject("runtimeOptions");
            json.WriteString("binaryName", details.RuntimeBinary);
            json.WriteString("root", details.RuntimeRoot);
            json.WriteBoolean("systemdCgroup", false);
            json.WriteEndObject();
            json.WriteString("bundle", record.Bundle);
            json.WriteString("rootfs", details.Rootfs);
            json.WriteString("cgroupsPath", record.CgroupsPath);
            json.WritePropertyName("config");
            json.WriteRawValue(ProtoJson.Format(config));
            json.WritePropertyName("runtimeSpec");
            if (details.RuntimeSpec is { } spec)
                json.WriteRawValue(spec);
            else
                json.WriteNullValue();
            json.WriteEndObject();
        }

        return System.Text.Encoding.UTF8.GetString(buffer.GetBuffer(), 0, (int)buffer.Length);
    }

    /// <summary>
    /// The user the container's process runs as, from the OCI spec (null when the spec is unreadable): for records
    /// written before the resolved user was kept in them.
    /// </summary>
    public static Caisson.Runtime.Oci.ResolvedUser? UserInSpec(byte[]? runtimeSpec)
    {
        if (runtimeSpec is null)
            return null;
        try
        {
            using var spec = JsonDocument.Parse(runtimeSpec);
            if (!spec.RootElement.TryGetProperty("process", out var process) || !process.TryGetProperty("user", out var user))
                return null;
            return new Caisson.Runtime.Oci.ResolvedUser(
                user.TryGetProperty("uid", out var uid) ? uid.GetUInt32() : 0,
                user.TryGetProperty("gid", out var gid) ? gid.GetUInt32() : 0,
                user.TryGetProperty("additionalGids", out var groups) && groups.ValueKind == JsonValueKind.Array
                    ? [.. groups.EnumerateArray().Select(g => g.GetUInt32())]
                    : []);
        }
        catch (JsonException)
        {
            return null;
        }
    }
}
