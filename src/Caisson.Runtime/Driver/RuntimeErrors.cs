using System.Text;
using Caisson.Core.Errors;

namespace Caisson.Runtime.Driver;

/// <summary>Turns what an OCI runtime printed on failure into a typed error naming the handler and the container.</summary>
internal static class RuntimeErrors
{
    public const string HybridCgroupsRefusal = "cgroups in hybrid mode not supported";

    /// <summary>
    /// runc prints logrus lines (time="..." level=error msg="container does not exist"); crun prints plain
    /// text. Keep only the messages, one per line.
    /// </summary>
    public static string Message(string standardError)
    {
        var messages = standardError
            .Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Select(ExtractLogrusMessage);
        return string.Join("; ", messages);
    }

    /// <summary>Whether the runtime said the container is unknown to it (runc and crun word it differently).</summary>
    public static bool IsNotExist(RuntimeHandler handler, string id, string message) =>
        message.Contains("does not exist", StringComparison.Ordinal)
        || (message.Contains("No such file or directory", StringComparison.Ordinal)
            && message.Contains(Path.Combine(handler.RootDirectory, id), StringComparison.Ordinal));

    public static CaissonException For(RuntimeHandler handler, string operation, string id, RuntimeCommandResult result)
    {
        var message = Message(result.StandardError);
        if (message.Length == 0)
            message = $"exit status {result.ExitCode}";
        var text = $"{operation} container {id} with {handler.Name} ({handler.BinaryPath}): {message}";
        if (IsNotExist(handler, id, message))
            return new NotFoundException(text);
        return HybridCgroupsRefused(handler.Name, text) ?? new CaissonException(ErrorKind.Internal, text);
    }

    /// <summary>
    /// crun (1.8) creates nothing on a hybrid host while any controller is attached to cgroup v2 (here hugetlb,
    /// which the host's init left out of the v1 mounts). Null when <paramref name="text"/> is another failure.
    /// </summary>
    public static FailedPreconditionException? HybridCgroupsRefused(
        string runtime, string text, string unifiedControllers = HybridCgroupsWrapper.UnifiedControllersPath)
    {
        if (!text.Contains(HybridCgroupsRefusal, StringComparison.Ordinal))
            return null;
        var controllers = HybridCgroupsWrapper.UnifiedControllers(unifiedControllers);

        var cause = controllers.Length > 0 ? $"{unifiedControllers} lists {controllers}" : "cgroup v2 has controllers";
        var fix = controllers.Length > 0
            ? $"mount them as v1 hierarchies (mount -t cgroup -o {controllers.Replace(' ', ',')} cgroup /sys/fs/cgroup/{controllers.Split(' ')[0]})"
            : "mount every controller as a v1 hierarchy";
        return new FailedPreconditionException(
            $"{text} ({runtime} does not support this node's hybrid cgroup v1/v2 layout while {cause}: {fix}, or use the runc handler)");
    }

    public static FailedPreconditionException MissingBinary(RuntimeHandler handler) =>
        new($"runtime handler {handler.Name}: binary {handler.BinaryPath} does not exist");

    private static string ExtractLogrusMessage(string line)
    {
        var start = line.IndexOf("msg=\"", StringComparison.Ordinal);
        if (start < 0 || !line.Contains("level=", StringComparison.Ordinal))
            return line;
        var message = new StringBuilder();
        for (var i = start + 5; i < line.Length; i++)
        {
            if (line[i] == '\\' && i + 1 < line.Length)
                message.Append(line[++i]);
            else if (line[i] == '"')
                break;
            else
                message.Append(line[i]);
        }

        return message.ToString();
    }
}
