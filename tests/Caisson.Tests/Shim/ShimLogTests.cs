using Caisson.Runtime.Shim;

namespace Caisson.Tests.Shim;

[Trait("Category", "Privileged")]
public sealed class ShimLogTests
{
    [Fact]
    public async Task Stdout_and_stderr_become_CRI_records_with_their_stream_tags()
    {
        await using var container = await ShimContainer.CreateAsync(["/bin/sh", "-c", "echo to-out; echo to-err >&2; echo -n unterminated"]);
        var before = DateTimeOffset.UtcNow;
        await container.Client.StartAsync();
        var exit = await container.Client.WaitAsync();

        var records = await container.ReadLogAsync(r => r.Count >= 3);
        Assert.Equal(0, exit.ExitCode);
        Assert.Contains(records, r => r is { Stream: "stdout", Partial: false, Content: "to-out" });
        Assert.Contains(records, r => r is { Stream: "stderr", Partial: false, Content: "to-err" });
        // The last line had no newline: at EOF it is still written, as a full (F) record.
        Assert.Contains(records, r => r is { Stream: "stdout", Partial: false, Content: "unterminated" });
        Assert.Equal(3, records.Count);
        Assert.All(records, r => Assert.InRange(r.Time, before.AddSeconds(-1), DateTimeOffset.UtcNow.AddSeconds(1)));
    }

    [Fact]
    public async Task A_40KiB_line_is_split_into_P_P_F_fragments_that_join_to_the_line()
    {
        await using var container = await ShimContainer.CreateAsync(
            ["/bin/sh", "-c", "head -c 40960 /dev/zero | tr '\\0' a; echo; echo after"]);
        await container.Client.StartAsync();
        await container.Client.WaitAsync();

        var records = await container.ReadLogAsync(r => r.Any(x => x.Content == "after"));
        Assert.Equal([true, true, false, false], records.Select(r => r.Partial));
        Assert.Equal([16384, 16384, 8192], records.Take(3).Select(r => r.Content.Length));
        Assert.Equal(new string('a', 40960), string.Concat(records.Take(3).Select(r => r.Content)));
        Assert.Equal("after", records[3].Content);
    }

    [Fact]
    public async Task Reopen_log_after_a_rename_sends_new_records_to_a_new_file()
    {
        await using var container = await ShimContainer.CreateAsync(["/bin/cat"], stdin: true);
        await container.Client.StartAsync();
        await using var stdin = await container.Client.OpenStdinAsync();

        await stdin.WriteAsync("one\n"u8.ToArray());
        await container.ReadLogAsync(r => r.Count == 1);
        var rotated = container.LogPath + ".1";
        File.Move(container.LogPath, rotated);
        await container.Client.ReopenLogAsync();
        await stdin.WriteAsync("two\n"u8.ToArray());

        var current = await container.ReadLogAsync(r => r.Count == 1);
        Assert.Equal(["two"], current.Select(r => r.Content));
        Assert.Equal(["one"], CriLogRecord.ParseFile(rotated).Select(r => r.Content));
    }

    [Fact]
    public async Task Stdin_reaches_cat_and_close_stdin_ends_it()
    {
        await using var container = await ShimContainer.CreateAsync(["/bin/cat"], stdin: true);
        await container.Client.StartAsync();
        await using (var stdin = await container.Client.OpenStdinAsync())
        {
            await stdin.WriteAsync("hello cat\nsecond"u8.ToArray());
            await stdin.FlushAsync();
        }

        await container.ReadLogAsync(r => r.Count == 1);
        Assert.Equal(ShimContainerState.Running, (await container.Client.StatusAsync()).State);
        await container.Client.CloseStdinAsync();

        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        var exit = await container.Client.WaitAsync(timeout.Token);
        Assert.Equal(0, exit.ExitCode);
        var records = await container.ReadLogAsync(r => r.Count == 2);
        Assert.Equal(["hello cat", "second"], records.Select(r => r.Content));
    }

    [Fact]
    public async Task A_container_created_without_stdin_refuses_a_stdin_stream()
    {
        await using var container = await ShimContainer.CreateAsync(["/bin/sleep", "1000"]);
        var error = await Assert.ThrowsAsync<Caisson.Core.Errors.FailedPreconditionException>(() => container.Client.OpenStdinAsync());
        Assert.Contains("without stdin", error.Message, StringComparison.Ordinal);
    }
}
