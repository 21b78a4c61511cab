using Microsoft.Extensions.Logging;

namespace Caisson.Images.Distribution;

/// <summary>The distribution client's log messages (event ids 1100-1199).</summary>
internal static partial class DistributionLog
{
    [LoggerMessage(EventId = 1100, Level = LogLevel.Debug, Message = "{Method} {Url} -> {Status}")]
    public static partial void Request(ILogger logger, string method, string url, int status);

    [LoggerMessage(EventId = 1101, Level = LogLevel.Debug, Message = "{Method} {Url} failed: {Error}")]
    public static partial void RequestFailed(ILogger logger, string method, string url, string error);

    [LoggerMessage(EventId = 1102, Level = LogLevel.Information, Message = "{Error}; trying the next endpoint")]
    public static partial void EndpointFailed(ILogger logger, string error);

    [LoggerMessage(EventId = 1103, Level = LogLevel.Warning, Message = "{Error}; retry {Attempt} of {MaxRetries} in {DelayMs} ms")]
    public static partial void Retrying(ILogger logger, string error, int attempt, int maxRetries, long delayMs);

    [LoggerMessage(EventId = 1104, Level = LogLevel.Warning, Message = "{Url} ignored our Range request; discarding the first {Offset} bytes it sends")]
    public static partial void RangeIgnored(ILogger logger, string url, long offset);

    [LoggerMessage(EventId = 1105, Level = LogLevel.Debug, Message = "bearer token for {Scope} from {Realm}, valid {Seconds} s")]
    public static partial void TokenFetched(ILogger logger, string scope, string realm, long seconds);

    [LoggerMessage(EventId = 1106, Level = LogLevel.Warning, Message = "docker config {Path} is unusable, ignoring it: {Error}")]
    public static partial void DockerConfigUnusable(ILogger logger, string path, string error);

    [LoggerMessage(EventId = 1107, Level = LogLevel.Debug, Message = "skipping foreign layer URL {Url}: only http and https are fetched")]
    public static partial void ForeignUrlSkipped(ILogger logger, string url);
}
