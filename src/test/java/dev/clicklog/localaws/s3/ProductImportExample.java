package dev.clicklog.localaws.s3;

import dev.clicklog.portal.pipeline.PipelineSpec;

/** A test-only example of what the package rules forbid: the emulator knowing the product's pipelines. */
public class ProductImportExample {

    Object name(PipelineSpec spec) {
        return spec.name();
    }
}
