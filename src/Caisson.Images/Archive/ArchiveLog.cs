using Microsoft.Extensions.Logging;

namespace Caisson.Images.Archive;

/// <summary>Log messages of image load and save (event ids 2600-2699).</summary>
internal static partial class ArchiveLog
{
    [LoggerMessage(EventId = 2601, Level = LogLevel.Warning, Message = "Load: {Entry} has media type {MediaType}, which is not an image; skipped")]
    public static partial void SkippedEntry(ILogger logger, string entry, string mediaType);

    [LoggerMessage(EventId = 2602, Level = LogLevel.Debug, Message = "Load: unpacked layer {Digest} as snapshot {ChainId}")]
    public static partial void LayerUnpacked(ILogger logger, string digest, string chainId);

    [LoggerMessage(EventId = 2603, Level = LogLevel.Information, Message = "Loaded image {Id} as {Names}")]
    public static partial void Loaded(ILogger logger, string id, string names);

    [LoggerMessage(EventId = 2604, Level = LogLevel.Warning, Message = "Could not remove load staging directory {Directory}: {Reason}")]
    public static partial void StagingNotRemoved(ILogger logger, string directory, string reason);
}
