-- copr-hub schema: from 14 to 15 (chain order from build history)
-- The chain driver reads, each time it loads a chain, the median delay from a build's end to its publication
-- over the latest publications; without this index that is a scan and sort of every build result ever made.
-- (Build times per package use builds_package.)
CREATE INDEX build_results_published_recent ON build_results (published_time DESC)
    WHERE published AND published_time IS NOT NULL;
