using Caisson.Runtime.Driver;

namespace Caisson.Tests.Runtime.Driver;

public sealed class ProcessStatTests
{
    [Theory]
    [InlineData("running", "41 (sleep) S 40 41 41 0 -1 4194560 99 0 0 0 0 0 0 0 20 0 1 0 5005 2420736 201", 'S', false, 40, 5005UL)]
    [InlineData("zombie waiting for init", "77 (caisson-shim) Z 1 77 77 0 -1 4227084 0 0 0 0 0 0 0 0 20 0 1 0 6006 0 0", 'Z', true, 1, 6006UL)]
    [InlineData("spaces and ')' in the name", "9 (a) b (c)) R 2 9 9 0 -1 0 0 0 0 0 0 0 0 0 20 0 1 0 7 0 0", 'R', false, 2, 7UL)]
    public void Parses_state_parent_and_start_time(string description, string line, char state, bool exited, int parent, ulong startTime)
    {
        var stat = ProcessStat.Parse(line);
        Assert.True(stat == new ProcessStat(state, parent, startTime) && stat.HasExited == exited, $"{description}: {stat}");
    }

    [Fact]
    public void Reads_this_process_and_nothing_for_a_missing_one()
    {
        var self = ProcessStat.Read(Environment.ProcessId);
        Assert.NotNull(self);
        Assert.False(self.Value.HasExited);
        Assert.Null(ProcessStat.Read(int.MaxValue));
    }
}
