using Microsoft.AspNetCore.Server.Kestrel.Core;

namespace Caisson.Daemon.Http2;

/// <summary>What the rewriter must respect on the server's behalf.</summary>
/// <param name="MaxFrameSize">The SETTINGS_MAX_FRAME_SIZE the server advertises: no frame we read or write is larger.</param>
/// <param name="HeaderTableSize">The SETTINGS_HEADER_TABLE_SIZE the server advertises, bounding the client's table.</param>
/// <param name="MaxHeaderListSize">The most one header block may decode to, and the most its fragments may add up to.</param>
internal readonly record struct Http2RewriterLimits(int MaxFrameSize, int HeaderTableSize, int MaxHeaderListSize)
{
    /// <summary>Kestrel's defaults: 16 KiB frames, a 4 KiB table, and a header list cap of 64 KiB.</summary>
    public static Http2RewriterLimits Default { get; } = new(16 * 1024, 4096, 64 * 1024);

    /// <summary>The limits Kestrel advertises on this server. Our header list cap is a memory guard set looser than
    /// Kestrel's own request header limit, so that Kestrel's checks (with its precise errors) decide.</summary>
    public static Http2RewriterLimits From(KestrelServerLimits limits) => new(
        limits.Http2.MaxFrameSize,
        limits.Http2.HeaderTableSize,
        (int)Math.Min(int.MaxValue / 2, Math.Max(64L * 1024, 2L * limits.MaxRequestHeadersTotalSize)));
}
