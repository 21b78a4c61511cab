using Caisson.Cli.Output;

namespace Caisson.Tests.Cli;

public sealed class HumanFormatTests
{
    [Theory]
    [InlineData("zero", 0L, "0B")]
    [InlineData("bytes below a kilobyte", 999L, "999B")]
    [InlineData("decimal kilobyte, not 1024", 1000L, "1kB")]
    [InlineData("three significant digits", 1234L, "1.23kB")]
    [InlineData("typical small image", 4_261_000L, "4.26MB")]
    [InlineData("trailing zeros dropped", 4_500_000L, "4.5MB")]
    [InlineData("no decimals from 100 up", 123_456_789L, "123MB")]
    [InlineData("rounding up crosses into the next unit", 999_999L, "1MB")]
    [InlineData("gigabytes", 1_500_000_000L, "1.5GB")]
    [InlineData("terabytes", 2_000_000_000_000L, "2TB")]
    [InlineData("largest value", long.MaxValue, "9.22EB")]
    public void Size(string description, long bytes, string expected)
    {
        Assert.True(HumanFormat.Size(bytes) == expected, $"{description}: got {HumanFormat.Size(bytes)}");
    }

    [Theory]
    [InlineData("bytes", 512UL, "512B")]
    [InlineData("binary kilobyte", 1024UL, "1KiB")]
    [InlineData("a megabyte and a half", 1_572_864UL, "1.5MiB")]
    [InlineData("8 GB of RAM", 8_000_000_000UL, "7.45GiB")]
    [InlineData("zero", 0UL, "0B")]
    public void BinarySize(string description, ulong bytes, string expected)
    {
        Assert.True(HumanFormat.BinarySize(bytes) == expected, $"{description}: got {HumanFormat.BinarySize(bytes)}");
    }

    [Theory]
    [InlineData("under a second", 0.4, "Less than a second")]
    [InlineData("one second", 1.0, "1 second")]
    [InlineData("seconds", 45.0, "45 seconds")]
    [InlineData("a minute and a half", 90.0, "About a minute")]
    [InlineData("minutes", 5 * 60.0, "5 minutes")]
    [InlineData("an hour", 60 * 60.0, "About an hour")]
    [InlineData("hours", 3 * 3600.0, "3 hours")]
    [InlineData("hours up to two days", 47 * 3600.0, "47 hours")]
    [InlineData("days", 3 * 86400.0, "3 days")]
    [InlineData("weeks from two weeks", 20 * 86400.0, "2 weeks")]
    [InlineData("months from two months", 90 * 86400.0, "3 months")]
    [InlineData("years from two years", 800 * 86400.0, "2 years")]
    public void Duration(string description, double seconds, string expected)
    {
        var text = HumanFormat.Duration(TimeSpan.FromSeconds(seconds));

        Assert.True(text == expected, $"{description}: got {text}");
    }

    [Fact]
    public void AgoCountsFromNowAndSaysNAWhenTheImageHasNoTime()
    {
        var now = new DateTimeOffset(2025, 6, 1, 12, 0, 0, TimeSpan.Zero);

        Assert.Equal("3 days ago", HumanFormat.Ago(now.AddDays(-3).ToUnixTimeSeconds(), now));
        Assert.Equal("N/A", HumanFormat.Ago(0, now));
    }

    [Fact]
    public void SpeedIsBytesPerSecondAndDashBeforeAnyTimePassed()
    {
        Assert.Equal("2.5MB/s", HumanFormat.Speed(5_000_000, TimeSpan.FromSeconds(2)));
        Assert.Equal("-", HumanFormat.Speed(5_000_000, TimeSpan.Zero));
    }
}
