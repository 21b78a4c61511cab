using System.Text;
using Caisson.Cli.Logs;

namespace Caisson.Tests.Cli.Logs;

/// <summary>Reading a CRI log file that grows, is rotated (renamed, then the path reopened) or truncated: real files.</summary>
public sealed class CriLogFileTests : IDisposable
{
    private readonly string _directory = Directory.CreateTempSubdirectory("caisson-cli-log-").FullName;
    private readonly List<string> _lines = [];
    private readonly string _path;
    private readonly CriLogFile _file;

    public CriLogFileTests()
    {
        _path = Path.Combine(_directory, "0.log");
        _file = new CriLogFile(_path, new CriLogDecoder(line => _lines.Add(Encoding.UTF8.GetString(line.Content))));
    }

    [Fact]
    public void ReadsWhatIsAddedOnceTheFileExists()
    {
        Assert.False(_file.ReadAvailable());

        Append(_path, "one");
        Assert.True(_file.ReadAvailable());
        Assert.False(_file.ReadAvailable());
        Append(_path, "two");
        Assert.True(_file.ReadAvailable());

        Assert.Equal(["one", "two"], _lines);
    }

    [Fact]
    public void FollowsARotationWithoutLosingOrRepeatingALine()
    {
        Append(_path, "before");
        _file.ReadAvailable();

        File.Move(_path, _path + ".1");
        // Until the shim reopens the path it still writes to the renamed file.
        Append(_path + ".1", "after the rename");
        Assert.False(_file.FollowRotation());
        Assert.True(_file.ReadAvailable());
        Append(_path + ".1", "last in the old file");
        Append(_path, "first in the new file");

        Assert.True(_file.FollowRotation());
        Append(_path, "more");
        _file.ReadAvailable();
        Assert.False(_file.FollowRotation());

        Assert.Equal(["before", "after the rename", "last in the old file", "first in the new file", "more"], _lines);
    }

    [Fact]
    public void AFileTruncatedInPlaceIsReadAgainFromItsStart()
    {
        Append(_path, "a long first line");
        _file.ReadAvailable();

        File.WriteAllText(_path, "");
        Append(_path, "new");
        _file.ReadAvailable();

        Assert.Equal(["a long first line", "new"], _lines);
    }

    [Fact]
    public void NoPathMeansNothingToRead()
    {
        using var none = new CriLogFile("", new CriLogDecoder(_ => throw new InvalidOperationException()));

        Assert.False(none.ReadAvailable());
        Assert.False(none.FollowRotation());
    }

    [Fact]
    public async Task FollowingEndsOnlyAfterTheExitAndTheLastOutput()
    {
        Append(_path, "line 0");
        var exited = false;
        var flushes = 0;
        var writer = Task.Run(async () =>
        {
            for (var i = 1; i <= 20; i++)
            {
                Append(_path, $"line {i}");
                if (i == 10)
                {
                    File.Move(_path, _path + ".1");
                    Append(_path, "line 10.5");
                }
                await Task.Delay(10);
            }
            exited = true;
            // Output the shim drains after the exit is reported still counts.
            Append(_path, "after the exit");
        });

        await LogFollower.FollowAsync(_file, _ => Task.FromResult(Volatile.Read(ref exited)), () => flushes++, CancellationToken.None)
            .WaitAsync(TimeSpan.FromSeconds(30));
        await writer;

        Assert.Equal(
            [.. Enumerable.Range(0, 11).Select(i => $"line {i}"), "line 10.5", .. Enumerable.Range(11, 10).Select(i => $"line {i}"), "after the exit"],
            _lines);
        Assert.True(flushes > 0);
    }

    [Fact]
    public async Task FollowingStopsOnCancellation()
    {
        using var cancel = new CancellationTokenSource(TimeSpan.FromMilliseconds(300));

        await Assert.ThrowsAnyAsync<OperationCanceledException>(
            () => LogFollower.FollowAsync(_file, _ => Task.FromResult(false), () => { }, cancel.Token));
    }

    private static void Append(string path, string text) =>
        File.AppendAllText(path, $"2025-06-01T12:00:00.000000000Z stdout F {text}\n");

    public void Dispose()
    {
        _file.Dispose();
        Directory.Delete(_directory, recursive: true);
    }
}
