using BenchmarkDotNet.Running;
using ThreatBriefBot.Microbenchmarks;

// Benchmarks run in child processes that do not get these arguments, so the seeds are found here and handed on.
Environment.SetEnvironmentVariable(Seeds.EnvironmentVariable, Seeds.FindDirectory());
BenchmarkSwitcher.FromAssembly(typeof(ClassifierBenchmarks).Assembly).Run(args);
