using Caisson.Api.V1;
using Caisson.Cli.Progress;

namespace Caisson.Tests.Cli;

public sealed class PullProgressRendererTests
{
    private const string Clear = "\r\u001b[2K";
    private static readonly string LayerA = "sha256:" + new string('a', 64);
    private static readonly string LayerB = "sha256:" + new string('b', 64);

    [Fact]
    public void PlainModePrintsALinePerStateChangeAndATotal()
    {
        var time = new ManualTimeProvider(CliHarness.Now);
        var output = new StringWriter { NewLine = "\n" };
        var view = new PlainPullProgress(output, time);

        view.Update(Message(Layer(LayerA, 2_000_000, 0, "waiting"), Layer(LayerB, 1_000_000, 0, "exists")));
        time.Advance(TimeSpan.FromSeconds(1));
        view.Update(Message(Layer(LayerA, 2_000_000, 500_000, "downloading")));
        view.Update(Message(Layer(LayerA, 2_000_000, 1_500_000, "downloading")));
        time.Advance(TimeSpan.FromSeconds(1));
        view.Update(Message(Layer(LayerA, 2_000_000, 2_000_000, "unpacking"), Layer(LayerB, 1_000_000, 0, "exists")));
        view.Update(Message(Layer(LayerA, 2_000_000, 2_000_000, "done")));
        view.Complete();

        Assert.Equal(
            "aaaaaaaaaaaa: waiting (2MB)\n" +
            "bbbbbbbbbbbb: exists (1MB)\n" +
            "aaaaaaaaaaaa: downloading (2MB)\n" +
            "aaaaaaaaaaaa: unpacking (2MB)\n" +
            "aaaaaaaaaaaa: done (2MB)\n" +
            "downloaded 2MB in 2.0s (1MB/s)\n",
            output.ToString());
    }

    [Fact]
    public void TerminalModeRedrawsEveryLineInPlace()
    {
        var time = new ManualTimeProvider(CliHarness.Now);
        var output = new StringWriter();
        var view = new TerminalPullProgress(output, time, terminalWidth: 0);

        view.Update(Message(Layer(LayerA, 2_000_000, 0, "waiting"), Layer(LayerB, 1_000_000, 0, "exists")));
        var first = output.ToString();
        time.Advance(TimeSpan.FromSeconds(1));
        view.Update(Message(Layer(LayerA, 2_000_000, 1_000_000, "downloading")));
        var second = output.ToString()[first.Length..];

        Assert.Equal(
            Clear + "aaaaaaaaaaaa  [                              ]                     waiting\n" +
            Clear + "bbbbbbbbbbbb  [==============================]                     exists\n" +
            Clear + "total         [                              ]  0B / 2MB           -\n",
            first);
        Assert.Equal(
            "\u001b[3A" +
            Clear + "aaaaaaaaaaaa  [===============>              ]  1MB / 2MB          downloading\n" +
            Clear + "bbbbbbbbbbbb  [==============================]                     exists\n" +
            Clear + "total         [===============>              ]  1MB / 2MB          1MB/s\n",
            second);
    }

    [Fact]
    public void TerminalModeThrottlesByteUpdatesButNotStateChanges()
    {
        var time = new ManualTimeProvider(CliHarness.Now);
        var output = new StringWriter();
        var view = new TerminalPullProgress(output, time, terminalWidth: 0);
        view.Update(Message(Layer(LayerA, 2_000_000, 100, "downloading")));
        var drawn = output.ToString().Length;

        time.Advance(TimeSpan.FromMilliseconds(10));
        view.Update(Message(Layer(LayerA, 2_000_000, 200, "downloading")));
        Assert.Equal(drawn, output.ToString().Length);

        time.Advance(TimeSpan.FromMilliseconds(10));
        view.Update(Message(Layer(LayerA, 2_000_000, 2_000_000, "done")));
        Assert.Contains("done\n", output.ToString()[drawn..], StringComparison.Ordinal);

        drawn = output.ToString().Length;
        time.Advance(TimeSpan.FromMilliseconds(200));
        view.Update(Message(Layer(LayerA, 2_000_000, 2_000_000, "done")));
        Assert.NotEqual(drawn, output.ToString().Length);
    }

    [Fact]
    public void TerminalModeCutsLinesToTheTerminalWidthSoNoneWraps()
    {
        var output = new StringWriter();
        var view = new TerminalPullProgress(output, new ManualTimeProvider(CliHarness.Now), terminalWidth: 40);

        view.Update(Message(Layer(LayerA, 2_000_000, 1_000_000, "downloading")));

        var lines = output.ToString().Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(2, lines.Length);
        Assert.All(lines, line => Assert.Equal(39, line.Replace(Clear, "", StringComparison.Ordinal).Length));
    }

    [Fact]
    public void LayersKeepTheOrderTheyFirstAppearedIn()
    {
        var state = new PullProgressState();

        state.Apply(Message(Layer(LayerB, 10, 0, "waiting")));
        state.Apply(Message(Layer(LayerA, 20, 0, "waiting")));
        var changed = state.Apply(Message(Layer(LayerA, 20, 5, "downloading"), Layer(LayerB, 10, 0, "waiting")));

        Assert.Equal([LayerB, LayerA], state.Layers.Select(l => l.Digest));
        Assert.Equal([LayerA], changed.Select(l => l.Digest));
        Assert.Equal(5, state.DownloadedBytes);
        Assert.Equal(30, state.TotalBytes);
    }

    [Theory]
    [InlineData("waiting is empty", "waiting", 0L, 100L, "[                              ]")]
    [InlineData("a third downloaded", "downloading", 33L, 99L, "[==========>                   ]")]
    [InlineData("nothing downloaded yet", "downloading", 0L, 100L, "[                              ]")]
    [InlineData("unknown size shows empty", "downloading", 10L, 0L, "[                              ]")]
    [InlineData("unpacking is full", "unpacking", 0L, 100L, "[==============================]")]
    [InlineData("done is full", "done", 100L, 100L, "[==============================]")]
    [InlineData("more than the size is capped", "downloading", 500L, 100L, "[==============================]")]
    public void Bar(string description, string state, long downloaded, long size, string expected)
    {
        Assert.True(TerminalPullProgress.Bar(state, downloaded, size) == expected, description);
    }

    private static LayerProgress Layer(string digest, long size, long downloaded, string state) =>
        new() { Digest = digest, Size = size, Downloaded = downloaded, State = state };

    private static PullProgress Message(params LayerProgress[] layers) => new() { Reference = "busybox", Layers = { layers } };
}
