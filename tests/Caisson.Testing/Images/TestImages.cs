using System.Collections.Concurrent;
using Xunit;

namespace Caisson.Testing.Images;

/// <summary>
/// Ready-made images for image and runtime tests. Each is built once per process and shared: treat the result as
/// read-only.
/// </summary>
public static class TestImages
{
    public const string TesterUser = "tester";
    public const int TesterUid = 1000;
    public const string TesterGroup = "testers";
    public const int TesterGid = 1000;

    /// <summary>A second group the tester belongs to, to check supplementary groups.</summary>
    public const string SupplementaryGroup = "extras";
    public const int SupplementaryGid = 1001;

    /// <summary>Every media-type family with every layer compression: <c>[MemberData(nameof(TestImages.Variants), MemberType = typeof(TestImages))]</c>.</summary>
    public static TheoryData<ImageFormat, LayerCompressionKind> Variants
    {
        get
        {
            var variants = new TheoryData<ImageFormat, LayerCompressionKind>();
            foreach (var format in Enum.GetValues<ImageFormat>())
            {
                foreach (var compression in Enum.GetValues<LayerCompressionKind>())
                    variants.Add(format, compression);
            }

            return variants;
        }
    }

    private static readonly ConcurrentDictionary<(string, ImageFormat, LayerCompressionKind), Lazy<BuiltImage>> Cache = new();

    /// <summary>The applets linked to /bin/busybox in <see cref="Busybox"/>.</summary>
    public static IReadOnlyList<string> BusyboxApplets => BusyboxTestImage.Applets;

    /// <summary>
    /// One layer: the host's /bin/busybox (busybox-static) with symlinks for <see cref="BusyboxApplets"/>,
    /// /etc/passwd and /etc/group with root, nobody and tester (uid 1000, group testers 1000, also in extras 1001),
    /// /tmp 1777, /root, /home/tester and empty /dev /proc /sys mount points; Cmd ["/bin/sh"], a PATH in Env. The
    /// platform is linux on this machine's architecture, as busybox is the host's binary.
    /// </summary>
    public static BuiltImage Busybox(ImageFormat format = ImageFormat.Oci, LayerCompressionKind compression = LayerCompressionKind.Gzip) =>
        Cached("busybox", format, compression, BusyboxTestImage.Build);

    /// <summary>Three layers with whiteouts, opaque directories and hard links; see <see cref="MultiLayerExpected"/>.</summary>
    public static BuiltImage MultiLayer(ImageFormat format = ImageFormat.Oci, LayerCompressionKind compression = LayerCompressionKind.Gzip) =>
        Cached("multilayer", format, compression, MultiLayerTestImage.Build);

    /// <summary>The tree <see cref="MultiLayer"/> must unpack to (the rules are on <c>MultiLayerTestImage</c>).</summary>
    public static ExpectedTree MultiLayerExpected => MultiLayerTestImage.Expected;

    private static BuiltImage Cached(
        string name, ImageFormat format, LayerCompressionKind compression, Func<ImageFormat, LayerCompressionKind, BuiltImage> build) =>
        Cache.GetOrAdd((name, format, compression), _ => new Lazy<BuiltImage>(() => build(format, compression))).Value;
}
