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
        if (message.Contains(HybridCgroupsRefusal, StringComparison.Ordinal))
        {
            return new FailedPreconditionException(
                $"{text} ({handler.Name} does not support this node's hybrid cgroup v1/v2 layout; use the runc handler)");
        }

        return new CaissonException(ErrorKind.Internal, text);
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
